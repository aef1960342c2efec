//! The benchmark's trace: OpenTelemetry JSON Lines with GenAI attributes, one export of 1,000 spans per line, steps
//! of the sizes agents write — model calls carrying the prompt they were sent, tool calls carrying their arguments
//! (an e-mail with its body, a refund with its reason, a shell command) and their results, every 50th tool call
//! failed. The words come from a seeded generator, so the full-text index meets a real vocabulary and the same
//! file comes out every run.

use serde_json::{json, Value};
use std::io::{BufWriter, Write};

pub const LINES: usize = 1_000;
pub const SPANS_PER_LINE: usize = 1_000;
pub const TOOLS: [&str; 8] =
    ["issue_refund", "send_email", "lookup_order", "update_crm", "search_kb", "create_ticket", "charge_card", "bash"];

const WORDS: &[&str] = &[
    "customer",
    "order",
    "refund",
    "invoice",
    "shipment",
    "delayed",
    "account",
    "billing",
    "address",
    "policy",
    "warranty",
    "return",
    "damaged",
    "package",
    "tracking",
    "number",
    "payment",
    "declined",
    "card",
    "subscription",
    "renewal",
    "cancel",
    "upgrade",
    "discount",
    "coupon",
    "priority",
    "escalate",
    "manager",
    "ticket",
    "status",
    "pending",
    "approved",
    "rejected",
    "review",
    "agent",
    "please",
    "thanks",
    "urgent",
    "today",
    "tomorrow",
    "week",
    "month",
    "charge",
    "twice",
    "duplicate",
    "missing",
    "item",
    "size",
    "colour",
    "replacement",
    "credit",
    "balance",
    "statement",
    "tax",
    "receipt",
    "email",
    "phone",
    "contact",
    "support",
    "hours",
    "weekend",
    "holiday",
    "store",
    "warehouse",
    "carrier",
    "courier",
    "delivery",
    "signature",
    "door",
    "neighbour",
    "photo",
    "evidence",
    "claim",
    "insurance",
    "premium",
    "loyalty",
    "points",
    "tier",
    "gold",
    "silver",
    "member",
    "since",
    "years",
    "first",
    "time",
    "again",
    "still",
    "waiting",
    "answer",
    "question",
    "help",
    "fix",
    "issue",
    "problem",
    "error",
    "login",
    "password",
    "reset",
    "locked",
    "verify",
    "identity",
    "document",
    "upload",
    "form",
    "checkout",
    "basket",
    "price",
    "match",
    "competitor",
    "cheaper",
    "promise",
    "apology",
    "gesture",
    "goodwill",
    "voucher",
    "expire",
    "extend",
    "deadline",
    "contract",
    "terms",
    "clause",
    "notice",
    "period",
    "termination",
    "fee",
    "waive",
];

/// Whether span `n` is a tool call whose arguments name an order (`A-n`), so a search can look for one.
pub fn names_order(n: usize) -> bool {
    n % 3 != 0 && matches!(TOOLS[n % TOOLS.len()], "issue_refund" | "lookup_order" | "bash")
}

/// Writes the trace to `path`.
pub fn write(path: &std::path::Path) -> std::io::Result<()> {
    let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    let mut rng = fastrand::Rng::with_seed(0x7ace);
    let start: u64 = 1_767_261_600_000_000_000;
    for line in 0..LINES {
        let spans: Vec<Value> =
            (0..SPANS_PER_LINE).map(|s| span(line, line * SPANS_PER_LINE + s, start, &mut rng)).collect();
        let export = json!({"resourceSpans": [{
            "resource": {"attributes": [attribute("service.name", text(format!("agent-{}", line % 7)))]},
            "scopeSpans": [{"scope": {"name": "bench"}, "spans": spans}],
        }]});
        serde_json::to_writer(&mut out, &export)?;
        out.write_all(b"\n")?;
    }
    out.flush()
}

fn span(line: usize, n: usize, start: u64, rng: &mut fastrand::Rng) -> Value {
    let at = start + n as u64 * 1_000_000;
    let mut attributes = Vec::new();
    let failed = n % 3 != 0 && n % 50 == 1;
    let op = if n % 3 == 0 {
        let prompt = json!([
            {"role": "system", "parts": [{"type": "text", "content": sentence(rng, 20, 40)}]},
            {"role": "user", "parts": [{"type": "text", "content": sentence(rng, 40, 110)}]},
        ]);
        let answer = json!([{"role": "assistant", "parts": [{"type": "text", "content": sentence(rng, 10, 40)}]}]);
        attributes.push(attribute("gen_ai.request.model", text("gpt-4o".into())));
        attributes.push(attribute("gen_ai.usage.input_tokens", json!({"intValue": (600 + n % 900).to_string()})));
        attributes.push(attribute("gen_ai.usage.output_tokens", json!({"intValue": (40 + n % 200).to_string()})));
        attributes.push(attribute("gen_ai.input.messages", text(prompt.to_string())));
        attributes.push(attribute("gen_ai.output.messages", text(answer.to_string())));
        "chat"
    } else {
        let tool = TOOLS[n % TOOLS.len()];
        let arguments = arguments(tool, n, rng);
        attributes.push(attribute("gen_ai.tool.name", text(tool.into())));
        attributes.push(attribute("gen_ai.tool.call.id", text(format!("call_{n}"))));
        attributes.push(attribute("gen_ai.tool.call.arguments", text(arguments.to_string())));
        if !failed {
            let result = json!({"status": "ok", "id": format!("R-{n}"), "message": sentence(rng, 8, 30)});
            attributes.push(attribute("gen_ai.tool.call.result", text(result.to_string())));
        }
        "execute_tool"
    };
    attributes.insert(0, attribute("gen_ai.operation.name", text(op.into())));
    let mut span = json!({
        "traceId": format!("{:032x}", line + 1),
        "spanId": format!("{:016x}", n + 1),
        "name": op,
        "kind": 1,
        "startTimeUnixNano": at.to_string(),
        "endTimeUnixNano": (at + 500_000).to_string(),
        "attributes": attributes,
    });
    if failed {
        span["status"] = json!({"code": 2, "message": "Gateway timeout"});
    }
    span
}

fn arguments(tool: &str, n: usize, rng: &mut fastrand::Rng) -> Value {
    let customer = format!("customer{}@example{}.com", n % 5000, n % 40);
    match tool {
        "send_email" => json!({"to": customer, "subject": sentence(rng, 4, 9), "body": sentence(rng, 40, 120)}),
        "issue_refund" => json!({"order_id": format!("A-{n}"), "amount": (n % 900) as f64 + 0.5,
                                 "currency": "EUR", "reason": sentence(rng, 6, 20)}),
        "lookup_order" => json!({"order_id": format!("A-{n}"), "include": ["items", "shipping", "payments"]}),
        "update_crm" => json!({"customer_id": format!("C-{}", n % 5000), "email": customer,
                               "fields": {"status": "contacted", "note": sentence(rng, 10, 30)}}),
        "search_kb" => json!({"query": sentence(rng, 3, 8), "top_k": 5}),
        "create_ticket" => json!({"title": sentence(rng, 4, 9), "description": sentence(rng, 20, 60),
                                  "priority": "normal"}),
        "charge_card" => json!({"customer_id": format!("C-{}", n % 5000), "amount_cents": n % 90_000,
                                "idempotency_key": format!("ik-{n}")}),
        _ => json!({"command": format!("curl -s https://api.example{}.com/v1/orders/A-{n}", n % 40)}),
    }
}

fn sentence(rng: &mut fastrand::Rng, fewest: usize, most: usize) -> String {
    let words = rng.usize(fewest..=most);
    let mut s = String::with_capacity(words * 8);
    for i in 0..words {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(WORDS[rng.usize(0..WORDS.len())]);
    }
    s
}

fn text(value: String) -> Value {
    json!({"stringValue": value})
}

fn attribute(key: &str, value: Value) -> Value {
    json!({"key": key, "value": value})
}
