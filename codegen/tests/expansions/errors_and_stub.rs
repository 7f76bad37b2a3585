// request!({ "recipient" : { "id" : "1" , "user_ref" : "x" } , "messaging_type" : "RESPONSE" , "message" : { "txt" : "hi" } , })

fn expansion() {
    let _ = {
        ::core::compile_error! {
            "[body.unknown_field] `txt` is not a field of Message\n help: did you mean `text`? remove it; Message takes `text`, `attachment`, `attachments`, `sticker_id`, `template`, `dynamic_text`, `quick_reply_type`, `a2ui`, `quick_replies` or `metadata`\n doc: https://developers.facebook.com/docs/messenger-platform/reference/send-api"
        }
        ::core::compile_error! {
            "[recipient.exactly_one] a recipient is identified by exactly one field, found 2 (`id` and `user_ref`)\n help: keep one of id, user_ref, post_id, comment_id or phone_number\n doc: https://developers.facebook.com/docs/messenger-platform/reference/send-api"
        }
        ::sendapi::v26::Request::<
            ::sendapi::Messenger,
            ::sendapi::v26::form::Id,
            ::sendapi::v26::kind::Message,
        >::__from_parts(::sendapi::__private::stub())
    };
}
