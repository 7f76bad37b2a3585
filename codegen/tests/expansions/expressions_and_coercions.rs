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
                text: ::sendapi::__private::into::<
                    ::sendapi::__private::String,
                >(reply.text()),
                quick_reply_type: ::sendapi::__private::None,
                a2ui: ::sendapi::__private::None,
                quick_replies: ::sendapi::__private::None,
                metadata: ::sendapi::__private::None,
            }),
            notification_type: ::sendapi::__private::Some(
                ::sendapi::__private::into::<
                    ::sendapi::v26::NotificationType,
                >(notification),
            ),
            persona_id: ::sendapi::__private::None,
            reply_to: ::sendapi::__private::None,
            thread_control: ::sendapi::__private::None,
            folder: ::sendapi::__private::None,
        }),
    );
}
