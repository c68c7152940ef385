//! Parameters as real configs have them: nested objects and lists, stored as the flat
//! TABLE every view already shows and compares key by key. `{"optimizer": {"lr": 1e-3},
//! "layers": [64, 32]}` becomes `optimizer.lr`, `layers[0]`, `layers[1]`; numbers,
//! strings and booleans are kept exactly.

use super::Refusal;
use serde_json::{Map, Value};

/// The name of the TABLE log that `log_parameters` (and MLflow's params) write.
pub const PARAMETERS_LOG: &str = "parameters";

/// The most keys a flattened parameters log may hold.
pub const MAX_PARAMETERS: usize = 10_000;

/// `parameters` flattened into one level of dotted keys, or the refusal naming the key
/// at fault: a `null`, an empty object or list (they hold no value to show), two paths
/// that flatten to the same key, or too many keys.
pub fn flatten_parameters(parameters: &Value) -> Result<Value, Refusal> {
    let Value::Object(object) = parameters else {
        return Err(Refusal::invalid(
            "data",
            "parameters are an object of names to values",
        ));
    };
    let mut flat = Map::new();
    for (key, value) in object {
        flatten_into(&mut flat, key.clone(), value)?;
    }
    Ok(Value::Object(flat))
}

fn flatten_into(flat: &mut Map<String, Value>, key: String, value: &Value) -> Result<(), Refusal> {
    let field = || format!("data.{key}");
    match value {
        Value::Object(object) if object.is_empty() => Err(Refusal::invalid(
            field(),
            "an empty object holds no parameter; leave it out",
        )),
        Value::Array(items) if items.is_empty() => Err(Refusal::invalid(
            field(),
            "an empty list holds no parameter; leave it out",
        )),
        Value::Null => Err(Refusal::invalid(
            field(),
            "a parameter is a number, a string or a boolean, not null",
        )),
        Value::Object(object) => {
            for (inner, value) in object {
                flatten_into(flat, format!("{key}.{inner}"), value)?;
            }
            Ok(())
        }
        Value::Array(items) => {
            for (index, value) in items.iter().enumerate() {
                flatten_into(flat, format!("{key}[{index}]"), value)?;
            }
            Ok(())
        }
        scalar => {
            if flat.len() >= MAX_PARAMETERS {
                return Err(Refusal::too_large(
                    "data",
                    format!("parameters may hold at most {MAX_PARAMETERS} values"),
                ));
            }
            if flat.insert(key.clone(), scalar.clone()).is_some() {
                return Err(Refusal::invalid(
                    field(),
                    format!("two parameters flatten to the key {key:?}"),
                ));
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_objects_and_lists_become_dotted_keys() {
        let flat = flatten_parameters(&json!({
            "optimizer": {"name": "adam", "lr": 1e-3, "betas": [0.9, 0.999]},
            "layers": [64, {"units": 32}],
            "epochs": 10,
            "augment": true
        }))
        .expect("valid");
        assert_eq!(
            flat,
            json!({
                "optimizer.name": "adam", "optimizer.lr": 1e-3,
                "optimizer.betas[0]": 0.9, "optimizer.betas[1]": 0.999,
                "layers[0]": 64, "layers[1].units": 32,
                "epochs": 10, "augment": true
            })
        );
    }

    #[test]
    fn flat_parameters_stay_as_they_are() {
        let flat = json!({"lr": 0.001, "backbone": "resnet"});
        assert_eq!(flatten_parameters(&flat), Ok(flat));
    }

    #[test]
    fn nulls_empties_and_collisions_are_refused_naming_the_key() {
        let field = |value| flatten_parameters(&value).map_err(|refusal| refusal.field);
        assert_eq!(
            field(json!({"scheduler": null})),
            Err("data.scheduler".to_owned())
        );
        assert_eq!(
            field(json!({"opt": {"x": {}}})),
            Err("data.opt.x".to_owned())
        );
        assert_eq!(field(json!({"aug": []})), Err("data.aug".to_owned()));
        assert_eq!(
            field(json!({"a.b": 1, "a": {"b": 2}})),
            Err("data.a.b".to_owned())
        );
        assert_eq!(field(json!([1, 2])), Err("data".to_owned()));
    }
}
