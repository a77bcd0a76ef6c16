//! Finishing an SVG figure: the font embedded and the coordinates rounded.
//!
//! plotters' SVG backend names the font family without embedding it, so a machine
//! without `DejaVu Sans` showed another font (wider or narrower, so labels collided or
//! overran their boxes), and it writes sizes such as `26.000000000000004`. [`finish`]
//! adds an `@font-face` with the shipped subset of `DejaVu Sans`
//! (`assets/fonts/DejaVuSans-subset.woff2`, base64) under the family name every text
//! element names first, and rounds every number inside a tag to at most two decimals
//! (text content, such as a p-value, is left as written).

/// `DejaVu Sans` cut down to the characters the figures use (`assets/fonts/README.md`).
static SUBSET_WOFF2: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-subset.woff2");

/// The SVG `svg` with the font embedded and its numbers rounded.
pub(crate) fn finish(svg: &str) -> String {
    let rounded = round_numbers(svg);
    let style = format!(
        "<defs><style>@font-face{{font-family:\"DejaVu Sans\";font-style:normal;\
         font-weight:normal;src:url(data:font/woff2;base64,{}) format(\"woff2\");}}</style></defs>\n",
        base64(SUBSET_WOFF2)
    );
    // After the opening `<svg ...>` tag.
    match rounded
        .find("<svg")
        .and_then(|s| rounded[s..].find('>').map(|e| s + e + 1))
    {
        Some(at) => {
            let (head, tail) = rounded.split_at(at);
            format!("{head}\n{style}{}", tail.trim_start_matches('\n'))
        }
        None => rounded,
    }
}

/// Every decimal number inside a tag (`<...>`) rounded to at most two decimals, trailing
/// zeros dropped (`26.000000000000004` → `26`, `0.7599999` → `0.76`).
fn round_numbers(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len());
    let mut in_tag = false;
    let chars: Vec<char> = svg.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ => {}
        }
        let starts_number = in_tag
            && c.is_ascii_digit()
            && (i == 0 || !(chars[i - 1].is_ascii_alphanumeric() || chars[i - 1] == '.'));
        if !starts_number {
            out.push(c);
            i += 1;
            continue;
        }
        let mut end = i;
        while end < chars.len() && chars[end].is_ascii_digit() {
            end += 1;
        }
        let decimal = end + 1 < chars.len() && chars[end] == '.' && chars[end + 1].is_ascii_digit();
        if !decimal {
            out.extend(&chars[i..end]);
            i = end;
            continue;
        }
        let mut stop = end + 1;
        while stop < chars.len() && chars[stop].is_ascii_digit() {
            stop += 1;
        }
        let token: String = chars[i..stop].iter().collect();
        match token.parse::<f64>() {
            Ok(value) => out.push_str(&short(value)),
            Err(_) => out.push_str(&token),
        }
        i = stop;
    }
    out
}

/// `value` with at most two decimals, without trailing zeros.
fn short(value: f64) -> String {
    let text = format!("{value:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text.is_empty() || text == "-" {
        "0".to_string()
    } else {
        text.to_string()
    }
}

/// Standard base64 with padding.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                let index = usize::try_from((n >> (18 - 6 * k)) & 63).unwrap_or(0);
                out.push(char::from(ALPHABET[index]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_tags_are_rounded_and_text_is_kept() {
        let svg = "<svg width=\"10\">\n<text x=\"1.23456\" font-size=\"26.000000000000004\" \
                   fill=\"#0072B2\">p = 0.00034</text></svg>";
        let out = round_numbers(svg);
        assert_eq!(
            out,
            "<svg width=\"10\">\n<text x=\"1.23\" font-size=\"26\" fill=\"#0072B2\">p = 0.00034</text></svg>"
        );
    }

    #[test]
    fn base64_matches_the_standard() {
        assert_eq!(base64(b"Man"), "TWFu");
        assert_eq!(base64(b"Ma"), "TWE=");
        assert_eq!(base64(b"M"), "TQ==");
    }
}
