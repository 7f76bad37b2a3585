use sendapi::v26::{self, Request};

#[test]
fn smoke() {
    let req = Request::builder().to_id("123").text("hi").response().build();
    println!("{}", serde_json::to_string(&req).unwrap());
    req.validate().unwrap();
    let req = Request::builder().to_user_ref("ref").react("m_1", "❤").build();
    println!("{}", serde_json::to_string(&req).unwrap());
    let req = Request::builder().to_id("1").text("x").human_agent().notification_type(v26::NotificationType::SilentPush).build();
    println!("{}", serde_json::to_string(&req).unwrap());
    let long = "x".repeat(2001);
    let req = Request::builder().to_id("1").text(long).update().build();
    println!("{:?}", req.validate().unwrap_err().to_string());
    let req = Request::builder().to_id("1").text("x".repeat(1500)).update().build().on::<sendapi::Instagram>();
    println!("{}", req.validate().unwrap_err());
    for f in std::fs::read_dir("/work/shared/corpus/peer").unwrap().chain(std::fs::read_dir("/work/shared/corpus/peer/deprecated").unwrap()) {
        let f = f.unwrap().path();
        if f.extension().is_none_or(|e| e != "json") { continue; }
        let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&f).unwrap()).unwrap();
        match Request::from_json(&v) {
            Ok(r) => {
                let back = serde_json::to_value(&r).unwrap();
                let verdict = r.validate();
                println!("OK {} validate={:?} same={}", f.display(), verdict.as_ref().map_err(|e| e.rule_ids()), back == v);
                if back != v { println!("   in : {v}\n   out: {back}"); }
            }
            Err(e) => println!("ERR {} {}", f.display(), e),
        }
    }
}
