//! The commission's settings row (`commission_settings`): address, telephone, seal image.

use sqlx::AnyConnection;

/// What the administrator has set; `None` where the configuration's value stands.
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct SettingsRow {
    pub address: Option<String>,
    pub phone: Option<String>,
    pub seal_png: Option<Vec<u8>>,
}

pub async fn get(conn: &mut AnyConnection) -> sqlx::Result<SettingsRow> {
    let row = sqlx::query_as("SELECT address, phone, seal_png FROM commission_settings WHERE id = 1").fetch_optional(&mut *conn).await?;
    Ok(row.unwrap_or_default())
}

/// The address and telephone (the seal untouched).
pub async fn put_contact(conn: &mut AnyConnection, address: &str, phone: &str, now: &str, by: &str) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO commission_settings (id, address, phone, updated_at, updated_by) VALUES (1, $1, $2, $3, $4) \
         ON CONFLICT (id) DO UPDATE SET address = excluded.address, phone = excluded.phone, updated_at = excluded.updated_at, \
         updated_by = excluded.updated_by",
    )
    .bind(address)
    .bind(phone)
    .bind(now)
    .bind(by)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The seal image, or none (the documents then mark the seal's place).
pub async fn put_seal(conn: &mut AnyConnection, png: Option<&[u8]>, now: &str, by: &str) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO commission_settings (id, seal_png, updated_at, updated_by) VALUES (1, $1, $2, $3) \
         ON CONFLICT (id) DO UPDATE SET seal_png = excluded.seal_png, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
    )
    .bind(png)
    .bind(now)
    .bind(by)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
