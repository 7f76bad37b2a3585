// `.build()` without a recipient does not compile (recipient is required).
use sendapi::latest::Request;

fn main() {
    let _ = Request::builder().text("Your order is ready for pick-up.").response().build();
}
