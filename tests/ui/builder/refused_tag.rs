// A tag Graph refuses since 2026-04-27 has no builder method that compiles.
use sendapi::latest::Request;

fn main() {
    let _ = Request::builder()
        .to_id("6047783085279281")
        .text("Your order has shipped.")
        .post_purchase_update()
        .build();
}
