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
                message_id: ::sendapi::__private::into::<
                    ::sendapi::__private::String,
                >(mid),
                reaction: ::sendapi::__private::String::from("love"),
            },
            persona_id: ::sendapi::__private::None,
            thread_control: ::sendapi::__private::None,
            folder: ::sendapi::__private::None,
        }),
    );
}
