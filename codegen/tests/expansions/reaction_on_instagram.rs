// request!(instagram , { "recipient" : { "user_ref" : "checkbox-ref-22" } , "sender_action" : "REACT" , "payload" : { "message_id" : mid , "reaction" : "love" } , })

fn expansion() {
    let _ = ::sendapi::v26::Request::<
        ::sendapi::Instagram,
        ::sendapi::v26::form::UserRef,
        ::sendapi::v26::kind::SenderAction,
    >::__from_parts(
        ::sendapi::v26::SendRequest::SenderAction(::sendapi::v26::SenderActionSendRequest {
            recipient: ::sendapi::v26::Recipient::UserRef(::sendapi::v26::UserRefRecipient {
                user_ref: ::sendapi::__private::String::from("checkbox-ref-22"),
            }),
            sender_action: ::sendapi::v26::SenderAction::React {
                message_id: {
                    #[diagnostic::on_unimplemented(
                        message = "`sender_action.message_id` takes a string (`impl Into<String>`), not `{Self}`",
                        label = "expected a string (`impl Into<String>`)",
                        note = "the Send API takes ids and other text as JSON strings: convert a number with `.to_string()`, as in `psid.to_string()`"
                    )]
                    trait __SendapiField {
                        fn __sendapi_into(self) -> ::sendapi::__private::String;
                    }
                    #[diagnostic::do_not_recommend]
                    impl<
                        __T: ::sendapi::__private::Into<::sendapi::__private::String>,
                    > __SendapiField for __T {
                        fn __sendapi_into(self) -> ::sendapi::__private::String {
                            ::sendapi::__private::Into::into(self)
                        }
                    }
                    __SendapiField::__sendapi_into(mid)
                },
                reaction: ::sendapi::__private::String::from("love"),
            },
            persona_id: ::sendapi::__private::None,
            thread_control: ::sendapi::__private::None,
            folder: ::sendapi::__private::None,
        }),
    );
}
