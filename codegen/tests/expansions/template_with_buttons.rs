// request!({ "recipient" : { "id" : "1" } , "messaging_type" : "UPDATE" , "message" : { "attachment" : { "type" : "template" , "payload" : { "template_type" : "button" , "text" : "What next?" , "buttons" : [{ "type" : "web_url" , "url" : "https://example.org" , "title" : "Open" } , { "type" : "postback" , "title" : "Talk to us" , "payload" : "TALK" } ,] , } } } , })

fn expansion() {
    let _ = ::sendapi::v26::Request::<
        ::sendapi::Messenger,
        ::sendapi::v26::form::Id,
        ::sendapi::v26::kind::Message,
    >::__from_parts(
        ::sendapi::v26::SendRequest::Message(::sendapi::v26::MessageSendRequest {
            recipient: ::sendapi::v26::Recipient::Id(::sendapi::v26::IdRecipient {
                id: ::sendapi::__private::String::from("1"),
            }),
            messaging_type: ::sendapi::__private::Some(
                ::sendapi::v26::MessagingType::Update,
            ),
            message: ::sendapi::v26::Message::Attachment(::sendapi::v26::AttachmentMessage {
                attachment: ::sendapi::v26::Attachment::Template(
                    ::sendapi::v26::TemplatePayload::Button(::sendapi::v26::ButtonTemplate {
                        text: ::sendapi::__private::String::from("What next?"),
                        buttons: ::sendapi::__private::Vec::from([
                            ::sendapi::v26::Button::WebUrl(::sendapi::v26::UrlButton {
                                title: ::sendapi::__private::String::from("Open"),
                                url: ::sendapi::__private::String::from(
                                    "https://example.org",
                                ),
                                webview_height_ratio: ::sendapi::__private::None,
                                messenger_extensions: ::sendapi::__private::None,
                                fallback_url: ::sendapi::__private::None,
                                webview_share_button: ::sendapi::__private::None,
                            }),
                            ::sendapi::v26::Button::Postback(::sendapi::v26::PostbackButton {
                                title: ::sendapi::__private::String::from("Talk to us"),
                                payload: ::sendapi::__private::String::from("TALK"),
                            }),
                        ]),
                        sharable: ::sendapi::__private::None,
                    }),
                ),
                quick_reply_type: ::sendapi::__private::None,
                a2ui: ::sendapi::__private::None,
                quick_replies: ::sendapi::__private::None,
                metadata: ::sendapi::__private::None,
            }),
            notification_type: ::sendapi::__private::None,
            persona_id: ::sendapi::__private::None,
            reply_to: ::sendapi::__private::None,
            thread_control: ::sendapi::__private::None,
            folder: ::sendapi::__private::None,
        }),
    );
}
