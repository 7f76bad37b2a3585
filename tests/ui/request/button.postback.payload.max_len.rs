// Rule `button.postback.payload.max_len`: a postback payload is at most 1000 characters.
fn main() {
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "RESPONSE",
        "message": {
            "attachment": {
                "type": "template",
                "payload": {
                    "template_type": "button",
                    "text": "Return these items?",
                    "buttons": [
                        {
                            "type": "postback",
                            "title": "Confirm return",
                            "payload": "RETURNS|step=3|items=RT-4000:1:unworn;RT-4001:1:unworn;RT-4002:1:unworn;RT-4003:1:unworn;RT-4004:1:unworn;RT-4005:1:unworn;RT-4006:1:unworn;RT-4007:1:unworn;RT-4008:1:unworn;RT-4009:1:unworn;RT-4010:1:unworn;RT-4011:1:unworn;RT-4012:1:unworn;RT-4013:1:unworn;RT-4014:1:unworn;RT-4015:1:unworn;RT-4016:1:unworn;RT-4017:1:unworn;RT-4018:1:unworn;RT-4019:1:unworn;RT-4020:1:unworn;RT-4021:1:unworn;RT-4022:1:unworn;RT-4023:1:unworn;RT-4024:1:unworn;RT-4025:1:unworn;RT-4026:1:unworn;RT-4027:1:unworn;RT-4028:1:unworn;RT-4029:1:unworn;RT-4030:1:unworn;RT-4031:1:unworn;RT-4032:1:unworn;RT-4033:1:unworn;RT-4034:1:unworn;RT-4035:1:unworn;RT-4036:1:unworn;RT-4037:1:unworn;RT-4038:1:unworn;RT-4039:1:unworn;RT-4040:1:unworn;RT-4041:1:unworn;RT-4042:1:unworn;RT-4043:1:unworn;RT-4044:1:unworn;RT-4045:1:unworn;RT-4046:1:unworn;RT-4047:1:unworn;RT-4048:1:unworn;RT-4049:1:unworn;RT-4050:1:unworn;RT-4051:1:unworn;RT-4052:1:unworn;RT-4053:1:unworn;RT-4054:1:unworn;RT-4055:1:unworn;RT-4056:1:unworn;RT-4057:1:unworn;RT-4058:1:unworn;RT-4059:1:unworn",
                        },
                    ],
                },
            },
        },
    });
}
