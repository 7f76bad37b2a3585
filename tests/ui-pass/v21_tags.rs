// v21.0 predates the 2026-04-27 refusals: the tag methods refused in latest compile there.
use sendapi::v21::Request;

fn main() {
    let psid = "6047783085279281";
    let account = Request::builder().to_id(psid).text("A new device signed in.").account_update().build();
    let event = Request::builder().to_id(psid).text("Doors open at 18:00.").confirmed_event_update().build();
    let purchase = Request::builder().to_id(psid).text("Your order has shipped.").post_purchase_update().build();
    assert!(account.validate().is_ok());
    assert!(event.validate().is_ok());
    assert!(purchase.validate().is_ok());
    let body = serde_json::to_value(&account).unwrap();
    assert_eq!(body["tag"], "ACCOUNT_UPDATE");
}
