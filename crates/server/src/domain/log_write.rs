//! What logging under an existing name does (seed 000 `log(…, replace)`), decided
//! before storage touches anything.

use super::Refusal;
use trackboard_api::LogType;

/// How a log request changes what is stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WritePlan {
    /// No log has the name: create it.
    Insert,
    /// LINE onto LINE (whatever `replace` says: seed 000's rule, "to replace a line,
    /// delete this log and create another one"), or IMAGE onto IMAGE without
    /// `replace: true`: add the points or images.
    Append,
    /// Same type, not LINE: overwrite the data.
    ReplaceData,
    /// `replace: true`: drop everything the log held (points, images), then write.
    ReplaceAll,
}

/// The plan for writing `new` under `name` where `existing` is stored, or the 409.
pub fn plan_write(
    name: &str,
    existing: Option<LogType>,
    new: LogType,
    replace: Option<bool>,
) -> Result<WritePlan, Refusal> {
    match existing {
        None => Ok(WritePlan::Insert),
        Some(old) if old != new => match replace {
            Some(true) => Ok(WritePlan::ReplaceAll),
            _ => Err(Refusal::conflict(
                "type",
                format!(
                    "the log {name:?} is a {} log; send \"replace\": true to replace it with {} data",
                    old.as_str(),
                    new.as_str()
                ),
            )),
        },
        Some(LogType::Line) => Ok(WritePlan::Append),
        Some(LogType::Image) => match replace {
            Some(true) => Ok(WritePlan::ReplaceAll),
            _ => Ok(WritePlan::Append),
        },
        Some(_) => match replace {
            Some(false) => Err(Refusal::conflict(
                "name",
                format!("a log named {name:?} exists and \"replace\" is false; send true (or leave it out) to replace its data"),
            )),
            _ => Ok(WritePlan::ReplaceData),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::RefusalKind;

    #[test]
    fn new_names_are_inserted_whatever_replace_says() {
        for replace in [None, Some(true), Some(false)] {
            assert_eq!(
                plan_write("a", None, LogType::Bar, replace).ok(),
                Some(WritePlan::Insert)
            );
        }
    }

    #[test]
    fn lines_always_append_and_images_append_unless_replaced() {
        for replace in [None, Some(false), Some(true)] {
            assert_eq!(
                plan_write("a", Some(LogType::Line), LogType::Line, replace).ok(),
                Some(WritePlan::Append),
                "{replace:?}"
            );
        }
        assert_eq!(
            plan_write("a", Some(LogType::Image), LogType::Image, None).ok(),
            Some(WritePlan::Append)
        );
        assert_eq!(
            plan_write("a", Some(LogType::Image), LogType::Image, Some(true)).ok(),
            Some(WritePlan::ReplaceAll)
        );
    }

    #[test]
    fn other_types_replace_unless_told_not_to() {
        assert_eq!(
            plan_write("a", Some(LogType::Table), LogType::Table, None).ok(),
            Some(WritePlan::ReplaceData)
        );
        assert_eq!(
            plan_write("a", Some(LogType::Table), LogType::Table, Some(true)).ok(),
            Some(WritePlan::ReplaceData)
        );
        assert!(matches!(
            plan_write("a", Some(LogType::Table), LogType::Table, Some(false)),
            Err(Refusal { field, kind: RefusalKind::Conflict, .. }) if field == "name"
        ));
    }

    #[test]
    fn another_type_needs_replace_true() {
        assert!(matches!(
            plan_write("a", Some(LogType::Value), LogType::Line, None),
            Err(Refusal { field, kind: RefusalKind::Conflict, .. }) if field == "type"
        ));
        assert!(plan_write("a", Some(LogType::Value), LogType::Line, Some(false)).is_err());
        assert_eq!(
            plan_write("a", Some(LogType::Value), LogType::Line, Some(true)).ok(),
            Some(WritePlan::ReplaceAll)
        );
    }
}
