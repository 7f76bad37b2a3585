// Rule `quick_reply.payload.max_len`: a quick reply payload is at most 1000 characters.
fn main() {
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "RESPONSE",
        "message": {
            "text": "Continue where you left off?",
            "quick_replies": [
                {
                    "content_type": "text",
                    "title": "Continue",
                    "payload": "STATE:000000009e3779b13c6ef362daa66d1378dde6c417156075b54cda26538453d7f1bbcd888ff347392e2ac0eacc623a9b6a99b44c08d12dfda708a7ae4540215fe3779b1081af14c11fe68e72be1e08235c5581d4fa8cfb8598c4753636fbeee7d5336898736ae24911a25bfaafd9d5ab4e114f5cec48c90d8a8042be28b7bc6fc6ef36206526afd1035e2982a195a3333fcd1ce4de0496957c3c10461a7389f7b8ab03a856e27d59f519f70a935170bb3188ea6ccfc0641d6df7ddce0c2f577faa66d130489e4ae1e6d5c492850d3e432344b7f4c17c31a55fb3ab56fdeb25079c229eb83a5a1869d891921a76c90bcb1500857cb337ff2d516f78deefa6f28f8dde6c402c15e5f1ca4d5fa26884d95306bc5304a4f3ccb5432b4666e162c0177f9a39c81dd1b379bc092d2a5a40a6dbf878208c96af9a3d34e713eed31e8d9f715607500f8d8101adc4fab24bfc7463ea33ee14886b67c526a2e176c4da5b276311d4d801494e899f80c83a3db841ebdbefbb9c7a27354d185eaefeb69628af54cda260f3051c11913c95c22f740f73cdab89246be302d50a1a7c86a851f63746896fe8e4c0e99982f8634a212fdcfbbf6756ac5d9ed05dfbd64a0e9a0dc3bf38453d70d67cb72174b430d212ebaa83b12324344f5a9de5ed9217968bc991472a010af8c83884a9666ffe5a04a7780ba2def1bc41166b6ddf4de51e7d855ecf1bbcd880b9f45231",
                },
            ],
        },
    });
}
