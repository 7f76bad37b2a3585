// v21.0's builder says the same as latest's, with no impls listed from another snapshot.
use sendapi::v21::Request;

fn main() {
    let _ = Request::builder().typing_on().build();
}
