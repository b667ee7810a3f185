//! The interface languages. The texts themselves live in the `adal-i18n` crate; the browser
//! loads only the catalogue of the language it shows, and only its own portal's texts
//! (`/<portal>/i18n/{code}.json`, written by `cargo xtask build-web`), so a page carries
//! neither the two languages nor the other portals' texts it does not show.

pub use adal_i18n::Key;

use crate::gql::Language;

/// An interface language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    Kk,
    Ru,
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Kk, Lang::Ru, Lang::En];

    /// The text of `key` in this language. In the browser the language's catalogue must have
    /// been [`load`]ed (empty text until then); host builds (unit tests) link the catalogues.
    pub fn text(self, key: Key) -> &'static str {
        #[cfg(target_arch = "wasm32")]
        {
            loaded::text(self, key)
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            adal_i18n::CATALOGUES[self as usize].1(key)
        }
    }

    /// The BCP 47 code, for `<html lang>` and storage.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Kk => "kk",
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }

    /// The language's name in itself, as a language menu shows it.
    pub fn endonym(self) -> &'static str {
        match self {
            Lang::Kk => "Қазақша",
            Lang::Ru => "Русский",
            Lang::En => "English",
        }
    }

    /// Reads a code (`kk`, `ru`, `en`, any case); Kazakh when unknown.
    pub fn from_code(code: &str) -> Lang {
        match code.to_ascii_lowercase().as_str() {
            "ru" => Lang::Ru,
            "en" => Lang::En,
            _ => Lang::Kk,
        }
    }

    pub fn from_api(l: Language) -> Lang {
        match l {
            Language::Ru => Lang::Ru,
            Language::En => Lang::En,
            Language::Kk | Language::Unknown => Lang::Kk,
        }
    }

    pub fn to_api(self) -> Language {
        match self {
            Lang::Kk => Language::Kk,
            Lang::Ru => Language::Ru,
            Lang::En => Language::En,
        }
    }
}

/// Loads the catalogue of `lang` once (later calls return at once). Errors are a failed
/// request, a body that is not a list of texts, or a catalogue of another build (its length
/// differs from this build's keys).
#[cfg(target_arch = "wasm32")]
pub async fn load(lang: Lang) -> Result<(), String> {
    loaded::load(lang).await
}

/// Host builds link the catalogues: nothing to load.
#[cfg(not(target_arch = "wasm32"))]
#[allow(clippy::unused_async)]
pub async fn load(_lang: Lang) -> Result<(), String> {
    Ok(())
}

/// Whether `lang`'s texts are at hand.
pub fn is_loaded(lang: Lang) -> bool {
    #[cfg(target_arch = "wasm32")]
    {
        loaded::is_loaded(lang)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = lang;
        true
    }
}

#[cfg(target_arch = "wasm32")]
mod loaded {
    use std::cell::OnceCell;

    use super::{Key, Lang};

    thread_local! {
        /// The loaded catalogues, by language; each is loaded at most once and kept for the
        /// page's life (a few tens of KB), hence `'static` texts.
        static CATALOGUES: [OnceCell<&'static [&'static str]>; 3] = const {
            [OnceCell::new(), OnceCell::new(), OnceCell::new()]
        };
    }

    pub fn text(lang: Lang, key: Key) -> &'static str {
        CATALOGUES.with(|c| {
            c[lang as usize]
                .get()
                .map_or("", |texts| texts[key as usize])
        })
    }

    pub fn is_loaded(lang: Lang) -> bool {
        CATALOGUES.with(|c| c[lang as usize].get().is_some())
    }

    pub async fn load(lang: Lang) -> Result<(), String> {
        if is_loaded(lang) {
            return Ok(());
        }
        let program = crate::shell::program();
        let program = if program.is_empty() {
            "signin"
        } else {
            program.as_str()
        };
        let url = format!("/{program}/i18n/{}.json", lang.code());
        let resp = gloo_net::http::Request::get(&url)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if !resp.ok() {
            return Err(format!("{url}: HTTP {}", resp.status()));
        }
        let texts: Vec<String> = resp.json().await.map_err(|e| e.to_string())?;
        if texts.len() != Key::ALL.len() {
            return Err(format!(
                "{url}: {} texts, this build has {} keys",
                texts.len(),
                Key::ALL.len()
            ));
        }
        let texts: Vec<&'static str> = texts.into_iter().map(|s| &*s.leak()).collect();
        CATALOGUES.with(|c| {
            let _ = c[lang as usize].set(texts.leak());
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for l in Lang::ALL {
            assert_eq!(Lang::from_code(l.code()), l);
            assert_eq!(Lang::from_api(l.to_api()), l);
            // `Lang::text` and the loader index the catalogues by `Lang as usize`.
            assert_eq!(adal_i18n::CATALOGUES[l as usize].0, l.code());
        }
        assert_eq!(Lang::from_code("xx"), Lang::Kk);
    }
}
