// request!({ "recipient" : { "id" : 6047783085279281 } , "messaging_type" : "MESSAGE_TAG" , "tag" : "HUMAN_AGENT" , "message" : { "text" : reply . text () , "metadata" : null } , "notification_type" : notification , })

fn expansion() {
    let _ = ::sendapi::v26::Request::<
        ::sendapi::Messenger,
        ::sendapi::v26::form::Id,
        ::sendapi::v26::kind::Message,
    >::__from_parts(
        ::sendapi::v26::SendRequest::Message(::sendapi::v26::MessageSendRequest {
            recipient: ::sendapi::v26::Recipient::Id(::sendapi::v26::IdRecipient {
                id: ::sendapi::__private::String::from("6047783085279281"),
            }),
            messaging_type: ::sendapi::__private::Some(
                ::sendapi::v26::MessagingType::MessageTag(
                    ::sendapi::v26::Tag::HumanAgent,
                ),
            ),
            message: ::sendapi::v26::Message::Text(::sendapi::v26::TextMessage {
                text: {
                    #[diagnostic::on_unimplemented(
                        message = "`message.text` takes a string (`impl Into<String>`), not `{Self}`",
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
                    __SendapiField::__sendapi_into(reply.text())
                },
                quick_reply_type: ::sendapi::__private::None,
                a2ui: ::sendapi::__private::None,
                quick_replies: ::sendapi::__private::None,
                metadata: ::sendapi::__private::None,
            }),
            notification_type: ::sendapi::__private::Some({
                #[diagnostic::on_unimplemented(
                    message = "`notification_type` takes a `NotificationType`, not `{Self}`",
                    label = "expected a `NotificationType`",
                    note = "build it with the bindings' `NotificationType` type, or write it as a JSON literal in `request!`"
                )]
                trait __SendapiField {
                    fn __sendapi_into(self) -> ::sendapi::v26::NotificationType;
                }
                #[diagnostic::do_not_recommend]
                impl<
                    __T: ::sendapi::__private::Into<::sendapi::v26::NotificationType>,
                > __SendapiField for __T {
                    fn __sendapi_into(self) -> ::sendapi::v26::NotificationType {
                        ::sendapi::__private::Into::into(self)
                    }
                }
                __SendapiField::__sendapi_into(notification)
            }),
            persona_id: ::sendapi::__private::None,
            reply_to: ::sendapi::__private::None,
            thread_control: ::sendapi::__private::None,
            folder: ::sendapi::__private::None,
        }),
    );
}
