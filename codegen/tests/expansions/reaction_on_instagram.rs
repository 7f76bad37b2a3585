// request!(instagram , { "recipient" : { "user_ref" : "checkbox-ref-22" } , "sender_action" : "REACT" , "payload" : { "message_id" : mid , "reaction" : "love" } , })

fn expansion() {
    let _ = ::sendapi::v26::Request::<
        ::sendapi::Instagram,
        ::sendapi::v26::form::UserRef,
        ::sendapi::v26::kind::SenderAction,
    >::__from_parts({
        #[allow(unused_imports)]
        use ::sendapi::v26 as __sendapi_module;
        #[allow(unused_imports)]
        use ::sendapi::__private as __sendapi_private;
        __sendapi_module::SendRequest::SenderAction(__sendapi_module::SenderActionSendRequest {
            recipient: __sendapi_module::Recipient::UserRef(__sendapi_module::UserRefRecipient {
                user_ref: __sendapi_private::String::from("checkbox-ref-22"),
            }),
            sender_action: __sendapi_module::SenderAction::React {
                message_id: {
                    #[diagnostic::on_unimplemented(
                        message = "`sender_action.message_id` takes a string (`impl Into<String>`), not `{Self}`",
                        label = "expected a string (`impl Into<String>`)",
                        note = "the Send API takes ids and other text as JSON strings: convert a number with `.to_string()`, as in `psid.to_string()`"
                    )]
                    trait __SendapiField {
                        fn __sendapi_into(self) -> __sendapi_private::String;
                    }
                    #[diagnostic::do_not_recommend]
                    impl<
                        __T: __sendapi_private::Into<__sendapi_private::String>,
                    > __SendapiField for __T {
                        fn __sendapi_into(self) -> __sendapi_private::String {
                            __sendapi_private::Into::into(self)
                        }
                    }
                    __SendapiField::__sendapi_into(mid)
                },
                reaction: __sendapi_private::String::from("love"),
            },
            persona_id: __sendapi_private::None,
            thread_control: __sendapi_private::None,
            folder: __sendapi_private::None,
        })
    });
}
