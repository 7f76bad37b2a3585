// request!({ "recipient" : { "id" : 6047783085279281 } , "messaging_type" : "MESSAGE_TAG" , "tag" : "HUMAN_AGENT" , "message" : { "text" : reply . text () , "metadata" : null } , "notification_type" : notification , })

fn expansion() {
    let _ = ::sendapi::v26::Request::<
        ::sendapi::Messenger,
        ::sendapi::v26::form::Id,
        ::sendapi::v26::kind::Message,
    >::__from_parts({
        #[allow(unused_imports)]
        use ::sendapi::v26 as __sendapi_module;
        #[allow(unused_imports)]
        use ::sendapi::__private as __sendapi_private;
        __sendapi_module::SendRequest::Message(__sendapi_module::MessageSendRequest {
            recipient: __sendapi_module::Recipient::Id(__sendapi_module::IdRecipient {
                id: __sendapi_private::String::from("6047783085279281"),
            }),
            messaging_type: __sendapi_private::Some(
                __sendapi_module::MessagingType::MessageTag(
                    __sendapi_module::Tag::HumanAgent,
                ),
            ),
            message: __sendapi_module::Message::Text(__sendapi_module::TextMessage {
                text: {
                    #[diagnostic::on_unimplemented(
                        message = "`message.text` takes a string (`impl Into<String>`), not `{Self}`",
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
                    __SendapiField::__sendapi_into(reply.text())
                },
                quick_reply_type: __sendapi_private::None,
                a2ui: __sendapi_private::None,
                quick_replies: __sendapi_private::None,
                metadata: __sendapi_private::None,
            }),
            notification_type: __sendapi_private::Some({
                #[diagnostic::on_unimplemented(
                    message = "`notification_type` takes a `NotificationType`, not `{Self}`",
                    label = "expected a `NotificationType`",
                    note = "build it with the bindings' `NotificationType` type, or write it as a JSON literal in `request!`"
                )]
                trait __SendapiField {
                    fn __sendapi_into(self) -> __sendapi_module::NotificationType;
                }
                #[diagnostic::do_not_recommend]
                impl<
                    __T: __sendapi_private::Into<__sendapi_module::NotificationType>,
                > __SendapiField for __T {
                    fn __sendapi_into(self) -> __sendapi_module::NotificationType {
                        __sendapi_private::Into::into(self)
                    }
                }
                __SendapiField::__sendapi_into(notification)
            }),
            persona_id: __sendapi_private::None,
            reply_to: __sendapi_private::None,
            thread_control: __sendapi_private::None,
            folder: __sendapi_private::None,
        })
    });
}
