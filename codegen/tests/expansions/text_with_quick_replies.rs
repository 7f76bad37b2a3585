// request!({ "recipient" : { "id" : "6047783085279281" } , "messaging_type" : "RESPONSE" , "message" : { "text" : "Table for two at 19:30?" , "quick_replies" : [{ "content_type" : "text" , "title" : "Yes" , "payload" : "BOOK_YES" }] , } , })

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
                ::sendapi::v26::MessagingType::Response,
            ),
            message: ::sendapi::v26::Message::Text(::sendapi::v26::TextMessage {
                text: ::sendapi::__private::String::from("Table for two at 19:30?"),
                quick_reply_type: ::sendapi::__private::None,
                a2ui: ::sendapi::__private::None,
                quick_replies: ::sendapi::__private::Some(
                    ::sendapi::__private::Vec::from([
                        ::sendapi::v26::QuickReply::Text(::sendapi::v26::TextQuickReply {
                            title: ::sendapi::__private::String::from("Yes"),
                            payload: ::sendapi::__private::String::from("BOOK_YES"),
                            image_url: ::sendapi::__private::None,
                        }),
                    ]),
                ),
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
