//! A small expression form of the cell model's equations: the same tree both evaluates
//! (in `f64`, for the tests that hold it to [`crate::model::cell::CellModel::rates`]) and
//! prints as `MathML` (for the SBML export).

use std::fmt::Write as _;
use std::ops::{Add, Div, Mul, Neg, Sub};

/// An arithmetic expression over named symbols (SBML identifiers).
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// A dimensionless number.
    Number(f64),
    /// A number in an SBML unit (by unit id), e.g. 0 mM.
    Quantity(f64, &'static str),
    /// A species, parameter or rule variable, by its SBML id.
    Symbol(String),
    /// `a + b`.
    Add(Box<Self>, Box<Self>),
    /// `a - b`.
    Sub(Box<Self>, Box<Self>),
    /// `a * b`.
    Mul(Box<Self>, Box<Self>),
    /// `a / b`.
    Div(Box<Self>, Box<Self>),
    /// `-a`.
    Neg(Box<Self>),
    /// `a ^ b`.
    Pow(Box<Self>, Box<Self>),
    /// `|a|`.
    Abs(Box<Self>),
    /// `e ^ a`.
    Exp(Box<Self>),
    /// The larger of `a` and `b` (Rust's `f64::max`; SBML `piecewise(a, a >= b, b)`).
    Max(Box<Self>, Box<Self>),
    /// `then` where `test > 0`, else `otherwise`.
    IfPositive {
        /// The quantity tested.
        test: Box<Self>,
        /// The value where `test > 0`.
        then: Box<Self>,
        /// The value elsewhere.
        otherwise: Box<Self>,
    },
    /// `then` where `test == 0`, else `otherwise`.
    IfZero {
        /// The quantity tested.
        test: Box<Self>,
        /// The value where `test == 0`.
        then: Box<Self>,
        /// The value elsewhere.
        otherwise: Box<Self>,
    },
}

/// A symbol.
#[must_use]
pub fn sym(id: &str) -> Expr {
    Expr::Symbol(id.to_string())
}

/// A number.
#[must_use]
pub const fn num(value: f64) -> Expr {
    Expr::Number(value)
}

/// `base ^ exponent`.
#[must_use]
pub fn pow(base: Expr, exponent: Expr) -> Expr {
    Expr::Pow(Box::new(base), Box::new(exponent))
}

/// `|a|`.
#[must_use]
pub fn abs(a: Expr) -> Expr {
    Expr::Abs(Box::new(a))
}

/// `e ^ a`.
#[must_use]
pub fn exp(a: Expr) -> Expr {
    Expr::Exp(Box::new(a))
}

/// The larger of `a` and `b`.
#[must_use]
pub fn max(a: Expr, b: Expr) -> Expr {
    Expr::Max(Box::new(a), Box::new(b))
}

/// The positive part `(a)+ = max(a, 0)`.
#[must_use]
pub fn positive(a: Expr) -> Expr {
    max(a, num(0.0))
}

/// The positive part of a quantity in `unit` (an SBML unit id), `max(a, 0 unit)`.
#[must_use]
pub fn positive_in(a: Expr, unit: &'static str) -> Expr {
    max(a, Expr::Quantity(0.0, unit))
}

/// `then` where `test > 0`, else `otherwise`.
#[must_use]
pub fn if_positive(test: Expr, then: Expr, otherwise: Expr) -> Expr {
    Expr::IfPositive {
        test: Box::new(test),
        then: Box::new(then),
        otherwise: Box::new(otherwise),
    }
}

/// `a / b`, read as 0 where `b == 0` (the model's `ratio_or_zero`).
#[must_use]
pub fn ratio_or_zero(a: Expr, b: Expr) -> Expr {
    Expr::IfZero {
        test: Box::new(b.clone()),
        then: Box::new(num(0.0)),
        otherwise: Box::new(a / b),
    }
}

macro_rules! binary {
    ($trait:ident, $method:ident, $variant:ident) => {
        impl $trait for Expr {
            type Output = Self;
            fn $method(self, rhs: Self) -> Self {
                Self::$variant(Box::new(self), Box::new(rhs))
            }
        }
        impl $trait<f64> for Expr {
            type Output = Self;
            fn $method(self, rhs: f64) -> Self {
                Self::$variant(Box::new(self), Box::new(Self::Number(rhs)))
            }
        }
        impl $trait<Expr> for f64 {
            type Output = Expr;
            fn $method(self, rhs: Expr) -> Expr {
                Expr::$variant(Box::new(Expr::Number(self)), Box::new(rhs))
            }
        }
    };
}

binary!(Add, add, Add);
binary!(Sub, sub, Sub);
binary!(Mul, mul, Mul);
binary!(Div, div, Div);

impl Neg for Expr {
    type Output = Self;
    fn neg(self) -> Self {
        Self::Neg(Box::new(self))
    }
}

impl Expr {
    /// The value, with each symbol's value from `lookup` (`None`: an undefined symbol,
    /// returned as its name).
    ///
    /// # Errors
    /// The first symbol `lookup` does not know.
    pub fn eval(&self, lookup: &dyn Fn(&str) -> Option<f64>) -> Result<f64, String> {
        let two = |a: &Self, b: &Self| Ok::<_, String>((a.eval(lookup)?, b.eval(lookup)?));
        Ok(match self {
            Self::Number(v) | Self::Quantity(v, _) => *v,
            Self::Symbol(id) => lookup(id).ok_or_else(|| id.clone())?,
            Self::Add(a, b) => {
                let (a, b) = two(a, b)?;
                a + b
            }
            Self::Sub(a, b) => {
                let (a, b) = two(a, b)?;
                a - b
            }
            Self::Mul(a, b) => {
                let (a, b) = two(a, b)?;
                a * b
            }
            Self::Div(a, b) => {
                let (a, b) = two(a, b)?;
                a / b
            }
            Self::Neg(a) => -a.eval(lookup)?,
            Self::Pow(a, b) => {
                let (a, b) = two(a, b)?;
                a.powf(b)
            }
            Self::Abs(a) => a.eval(lookup)?.abs(),
            Self::Exp(a) => a.eval(lookup)?.exp(),
            Self::Max(a, b) => {
                let (a, b) = two(a, b)?;
                a.max(b)
            }
            Self::IfPositive {
                test,
                then,
                otherwise,
            } => {
                if test.eval(lookup)? > 0.0 {
                    then.eval(lookup)?
                } else {
                    otherwise.eval(lookup)?
                }
            }
            Self::IfZero {
                test,
                then,
                otherwise,
            } => {
                let zero = test.eval(lookup)? == 0.0;
                if zero {
                    then.eval(lookup)?
                } else {
                    otherwise.eval(lookup)?
                }
            }
        })
    }

    /// Every symbol the expression reads, in order of appearance (with repeats).
    pub fn symbols<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Self::Number(_) | Self::Quantity(..) => {}
            Self::Symbol(id) => out.push(id),
            Self::Add(a, b)
            | Self::Sub(a, b)
            | Self::Mul(a, b)
            | Self::Div(a, b)
            | Self::Pow(a, b)
            | Self::Max(a, b) => {
                a.symbols(out);
                b.symbols(out);
            }
            Self::Neg(a) | Self::Abs(a) | Self::Exp(a) => a.symbols(out),
            Self::IfPositive {
                test,
                then,
                otherwise,
            }
            | Self::IfZero {
                test,
                then,
                otherwise,
            } => {
                test.symbols(out);
                then.symbols(out);
                otherwise.symbols(out);
            }
        }
    }

    /// The expression as content `MathML` (the body of a `<math>` element); numbers
    /// carry `sbml:units="dimensionless"`.
    #[must_use]
    pub fn mathml(&self) -> String {
        let mut out = String::new();
        self.write_mathml(&mut out);
        out
    }

    fn write_mathml(&self, out: &mut String) {
        let apply = |out: &mut String, op: &str, args: &[&Self]| {
            let _ = write!(out, "<apply><{op}/>");
            for a in args {
                a.write_mathml(out);
            }
            out.push_str("</apply>");
        };
        match self {
            Self::Number(v) => {
                let _ = write!(out, "<cn sbml:units=\"dimensionless\">{}</cn>", number(*v));
            }
            Self::Quantity(v, unit) => {
                let _ = write!(out, "<cn sbml:units=\"{unit}\">{}</cn>", number(*v));
            }
            Self::Symbol(id) => {
                let _ = write!(out, "<ci>{id}</ci>");
            }
            Self::Add(a, b) => apply(out, "plus", &[a, b]),
            Self::Sub(a, b) => apply(out, "minus", &[a, b]),
            Self::Mul(a, b) => apply(out, "times", &[a, b]),
            Self::Div(a, b) => apply(out, "divide", &[a, b]),
            Self::Neg(a) => apply(out, "minus", &[a]),
            Self::Pow(a, b) => apply(out, "power", &[a, b]),
            Self::Abs(a) => apply(out, "abs", &[a]),
            Self::Exp(a) => apply(out, "exp", &[a]),
            Self::Max(a, b) => {
                out.push_str("<piecewise><piece>");
                a.write_mathml(out);
                apply(out, "geq", &[a, b]);
                out.push_str("</piece><otherwise>");
                b.write_mathml(out);
                out.push_str("</otherwise></piecewise>");
            }
            Self::IfPositive {
                test,
                then,
                otherwise,
            } => {
                out.push_str("<piecewise><piece>");
                then.write_mathml(out);
                apply(out, "gt", &[test, &num(0.0)]);
                out.push_str("</piece><otherwise>");
                otherwise.write_mathml(out);
                out.push_str("</otherwise></piecewise>");
            }
            Self::IfZero {
                test,
                then,
                otherwise,
            } => {
                out.push_str("<piecewise><piece>");
                then.write_mathml(out);
                apply(out, "eq", &[test, &num(0.0)]);
                out.push_str("</piece><otherwise>");
                otherwise.write_mathml(out);
                out.push_str("</otherwise></piecewise>");
            }
        }
    }
}

/// A number as XML text that reads back to the same `f64` (Rust's shortest round-trip
/// form; exponent notation for very small or large magnitudes).
#[must_use]
pub fn number(value: f64) -> String {
    let magnitude = value.abs();
    if magnitude != 0.0 && !(1e-5..1e15).contains(&magnitude) {
        format!("{value:e}")
    } else {
        format!("{value}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evaluates_like_rust_arithmetic() {
        let e = (sym("a") + 2.0) * sym("b") / max(sym("a") - 5.0, num(0.5));
        let lookup = |id: &str| match id {
            "a" => Some(3.0),
            "b" => Some(4.0),
            _ => None,
        };
        let value = e.eval(&lookup).unwrap();
        assert!((value - (3.0 + 2.0) * 4.0 / 0.5).abs() < 1e-15);
        assert_eq!(sym("c").eval(&lookup).unwrap_err(), "c");
        assert!(
            ratio_or_zero(sym("a"), num(0.0))
                .eval(&lookup)
                .unwrap()
                .abs()
                < 1e-300
        );
    }

    #[test]
    fn prints_content_mathml() {
        let e = pow(abs(sym("x") - 1.0), num(2.0));
        assert_eq!(
            e.mathml(),
            "<apply><power/><apply><abs/><apply><minus/><ci>x</ci>\
             <cn sbml:units=\"dimensionless\">1</cn></apply></apply>\
             <cn sbml:units=\"dimensionless\">2</cn></apply>"
        );
        assert!(max(sym("a"), num(0.0)).mathml().starts_with("<piecewise>"));
    }

    #[test]
    fn numbers_read_back_exactly() {
        for v in [0.0, 1.0, 0.001_284, 1.6e-5, 2.514e-4, 1e-9, 3e20, -0.5] {
            assert_eq!(number(v).parse::<f64>().unwrap().to_bits(), v.to_bits());
        }
    }
}
