// request!({ "recipient" : { "id" : "1" } , "messaging_type" : "UPDATE" , "message" : { "attachment" : { "type" : "template" , "payload" : { "template_type" : "button" , "text" : "What next?" , "buttons" : [{ "type" : "web_url" , "url" : "https://example.org" , "title" : "Open" } , { "type" : "postback" , "title" : "Talk to us" , "payload" : "TALK" } ,] , } } } , })

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
                id: __sendapi_private::String::from("1"),
            }),
            messaging_type: __sendapi_private::Some(
                __sendapi_module::MessagingType::Update,
            ),
            message: __sendapi_module::Message::Attachment(__sendapi_module::AttachmentMessage {
                attachment: __sendapi_module::Attachment::Template(
                    __sendapi_module::TemplatePayload::Button(__sendapi_module::ButtonTemplate {
                        text: __sendapi_private::String::from("What next?"),
                        buttons: __sendapi_private::Vec::from([
                            __sendapi_module::Button::WebUrl(__sendapi_module::UrlButton {
                                title: __sendapi_private::String::from("Open"),
                                url: __sendapi_private::String::from("https://example.org"),
                                webview_height_ratio: __sendapi_private::None,
                                messenger_extensions: __sendapi_private::None,
                                fallback_url: __sendapi_private::None,
                                webview_share_button: __sendapi_private::None,
                            }),
                            __sendapi_module::Button::Postback(__sendapi_module::PostbackButton {
                                title: __sendapi_private::String::from("Talk to us"),
                                payload: __sendapi_private::String::from("TALK"),
                            }),
                        ]),
                        sharable: __sendapi_private::None,
                    }),
                ),
                quick_reply_type: __sendapi_private::None,
                a2ui: __sendapi_private::None,
                quick_replies: __sendapi_private::None,
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
