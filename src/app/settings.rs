//! The commission's settings that drive its documents and pages: address, telephone and seal
//! image, kept in the database so every instance prints the same; the configuration's values
//! stand until the administrator sets them.

use serde::Deserialize;

use super::accounts::{Role, Staff};
use super::input::required_text;
use super::{App, AppError};
use crate::documents::seal::SealImage;
use crate::law::{FieldError, Violation};
use crate::store::settings as store;

/// The address and telephone in force.
#[derive(Debug, Clone)]
pub struct Contact {
    pub address: String,
    pub phone: String,
    /// Whether a seal image is set.
    pub has_seal: bool,
}

/// The address and telephone as printed (the configuration's where none is set).
pub async fn contact(app: &App) -> Result<Contact, AppError> {
    let mut conn = app.db.reader.acquire().await?;
    let row = store::get(&mut conn).await?;
    Ok(Contact {
        address: row.address.unwrap_or_else(|| app.config.commission_address.clone()),
        phone: row.phone.unwrap_or_else(|| app.config.commission_phone.clone()),
        has_seal: row.seal_png.is_some(),
    })
}

/// The seal image to place over the dates, if one is set.
pub async fn seal(app: &App) -> Result<Option<SealImage>, AppError> {
    let mut conn = app.db.reader.acquire().await?;
    let Some(png) = store::get(&mut conn).await?.seal_png else { return Ok(None) };
    // Stored only after decoding once: a failure now is a damaged row, not the user's input.
    SealImage::from_png(&png).map(Some).map_err(|e| AppError::Internal(anyhow::anyhow!("stored seal image: {e}")))
}

/// The seal as stored, for the administrator's page to show.
pub async fn seal_png(app: &App, actor: &Staff) -> Result<Option<Vec<u8>>, AppError> {
    actor.require(&[Role::Admin])?;
    let mut conn = app.db.reader.acquire().await?;
    Ok(store::get(&mut conn).await?.seal_png)
}

/// The administrator's form: address and telephone.
#[derive(Debug, Default, Deserialize)]
pub struct ContactInput {
    pub address: Option<String>,
    pub phone: Option<String>,
}

/// Sets the address and telephone printed from now on (administrators).
pub async fn set_contact(app: &App, actor: &Staff, input: &ContactInput) -> Result<(), AppError> {
    actor.require(&[Role::Admin])?;
    let mut errs = Vec::new();
    let address = required_text(input.address.as_deref(), "address", "仲裁委员会地址", 100, &mut errs);
    let phone = required_text(input.phone.as_deref(), "phone", "联系电话", 40, &mut errs);
    let (Some(address), Some(phone)) = (address.filter(|_| errs.is_empty()), phone) else { return Err(AppError::Validation(errs)) };
    let mut tx = app.db.begin().await?;
    store::put_contact(&mut tx, &address, &phone, &app.time.now_text(), &actor.username).await?;
    tx.commit().await?;
    Ok(())
}

/// Sets the seal image (a PNG, checked before anything is stored), or removes it with `None`
/// (administrators). Documents issued before keep what they were issued with.
pub async fn set_seal(app: &App, actor: &Staff, png: Option<&[u8]>) -> Result<(), AppError> {
    actor.require(&[Role::Admin])?;
    if let Some(bytes) = png
        && let Err(rule) = SealImage::from_png(bytes)
    {
        return Err(AppError::Validation(vec![FieldError::new("seal", Violation::new("bad_image", rule))]));
    }
    let mut tx = app.db.begin().await?;
    store::put_seal(&mut tx, png, &app.time.now_text(), &actor.username).await?;
    tx.commit().await?;
    Ok(())
}
