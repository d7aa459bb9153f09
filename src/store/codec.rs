//! The one codec between stored TEXT and the domain's enums: a case's status, outcome and track
//! are read and bound as these types, never as strings, on both backends.

use sqlx::any::{Any, AnyTypeInfo, AnyValueRef};
use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::{Decode, Encode, Type};

use crate::law::case::{Outcome, Status};
use crate::law::routing::Track;

macro_rules! text_enum {
    ($ty:ty, $what:literal) => {
        impl Type<Any> for $ty {
            fn type_info() -> AnyTypeInfo {
                <&str as Type<Any>>::type_info()
            }

            fn compatible(ty: &AnyTypeInfo) -> bool {
                <&str as Type<Any>>::compatible(ty)
            }
        }

        impl<'r> Decode<'r, Any> for $ty {
            fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
                let s = <&str as Decode<Any>>::decode(value)?;
                <$ty>::parse(s).ok_or_else(|| format!("not a {}: {s:?}", $what).into())
            }
        }

        impl<'q> Encode<'q, Any> for $ty {
            fn encode_by_ref(&self, buf: &mut <Any as sqlx::Database>::ArgumentBuffer) -> Result<IsNull, BoxDynError> {
                <&str as Encode<'q, Any>>::encode(self.code(), buf)
            }
        }
    };
}

text_enum!(Status, "status");
text_enum!(Outcome, "outcome");
text_enum!(Track, "track");

/// A case's statuses as SQL text, named once from the enum's codes: statements write
/// `status = '{FILED}'` and never spell a status themselves.
pub(crate) mod sql {
    use crate::law::case::{Outcome, Status};

    pub const FILED: &str = Status::Filed.code();
    pub const ACCEPTED: &str = Status::Accepted.code();
    pub const REJECTED: &str = Status::Rejected.code();
    pub const SCHEDULED: &str = Status::Scheduled.code();
    pub const HEARD: &str = Status::Heard.code();
    pub const SUSPENDED: &str = Status::Suspended.code();
    pub const CLOSED: &str = Status::Closed.code();
    pub const AWARD: &str = Outcome::Award.code();
    pub const MEDIATION: &str = Outcome::Mediation.code();
    pub const WITHDRAWN: &str = Outcome::Withdrawn.code();
    pub const DEEMED_WITHDRAWN: &str = Outcome::DeemedWithdrawn.code();
}
