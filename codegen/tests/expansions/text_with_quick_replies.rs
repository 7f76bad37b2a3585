// request!({ "recipient" : { "id" : "6047783085279281" } , "messaging_type" : "RESPONSE" , "message" : { "text" : "Table for two at 19:30?" , "quick_replies" : [{ "content_type" : "text" , "title" : "Yes" , "payload" : "BOOK_YES" }] , } , })

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
                __sendapi_module::MessagingType::Response,
            ),
            message: __sendapi_module::Message::Text(__sendapi_module::TextMessage {
                text: __sendapi_private::String::from("Table for two at 19:30?"),
                quick_reply_type: __sendapi_private::None,
                a2ui: __sendapi_private::None,
                quick_replies: __sendapi_private::Some(
                    __sendapi_private::Vec::from([
                        __sendapi_module::QuickReply::Text(__sendapi_module::TextQuickReply {
                            title: __sendapi_private::String::from("Yes"),
                            payload: __sendapi_private::String::from("BOOK_YES"),
                            image_url: __sendapi_private::None,
                        }),
                    ]),
                ),
                metadata: __sendapi_private::None,
            }),
            notification_type: __sendapi_private::None,
            persona_id: __sendapi_private::None,
            reply_to: __sendapi_private::None,
            thread_control: __sendapi_private::None,
            folder: __sendapi_private::None,
        })
    });
}
