//! The commission's documents typeset as Chinese official documents (rules.md §4): the page
//! layout, the fonts, the wording from editable templates, and the PDF. Knows nothing of SQL or HTTP.

pub mod fonts;
pub mod kinds;
pub mod layout;
pub mod markup;
pub mod pdf;
pub mod seal;
pub mod templates;
