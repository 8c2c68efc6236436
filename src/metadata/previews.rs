//! Where previews wait between `describe` and the report: in a temporary file, not in
//! memory. A case of 10,000 exhibits makes 10,000 thumbnails and text excerpts; held
//! together until the report is written they took hundreds of megabytes. Here each
//! is written out as soon as it is made, and read back one at a time by the report
//! and by the thumbnail files of the bag. The file is unnamed and goes with the
//! process; if no temporary file can be made, previews stay in memory as before.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::sync::Mutex;

use super::thumbnail::Preview;

/// The previews of a build's exhibits, in exhibit order.
#[derive(Debug)]
pub struct PreviewStore {
    spill: Option<Mutex<File>>,
    /// Bytes written to the spill file so far.
    end: u64,
    slots: Vec<Slot>,
}

/// One preview: where its bytes are, and what is known without reading them.
#[derive(Debug)]
enum Slot {
    Image {
        at: u64,
        len: usize,
        width: u32,
        height: u32,
    },
    Text {
        at: u64,
        len: usize,
        more: bool,
    },
    Placeholder(String),
    /// Kept in memory: the spill file could not be written.
    Held(Preview),
}

/// What a preview is, without its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Image { width: u32, height: u32 },
    Text { more: bool },
    Placeholder,
}

impl PreviewStore {
    /// An empty store over a new unnamed temporary file.
    pub fn new() -> PreviewStore {
        PreviewStore {
            spill: tempfile::tempfile().ok().map(Mutex::new),
            end: 0,
            slots: Vec::new(),
        }
    }

    /// Keeps the next exhibit's preview.
    pub fn push(&mut self, preview: Preview) {
        let slot = match preview {
            Preview::Placeholder(text) => Slot::Placeholder(text),
            Preview::Image {
                jpeg,
                width,
                height,
            } => match self.spill(&jpeg) {
                Some(at) => Slot::Image {
                    at,
                    len: jpeg.len(),
                    width,
                    height,
                },
                None => Slot::Held(Preview::Image {
                    jpeg,
                    width,
                    height,
                }),
            },
            Preview::Text { excerpt, more } => match self.spill(excerpt.as_bytes()) {
                Some(at) => Slot::Text {
                    at,
                    len: excerpt.len(),
                    more,
                },
                None => Slot::Held(Preview::Text { excerpt, more }),
            },
        };
        self.slots.push(slot);
    }

    /// Writes bytes at the end of the spill file; `None` keeps them in memory.
    fn spill(&mut self, bytes: &[u8]) -> Option<u64> {
        let mut file = self.spill.as_ref()?.lock().ok()?;
        file.seek(SeekFrom::Start(self.end)).ok()?;
        file.write_all(bytes).ok()?;
        let at = self.end;
        self.end += bytes.len() as u64;
        Some(at)
    }

    fn read(&self, at: u64, len: usize) -> Option<Vec<u8>> {
        let mut file = self.spill.as_ref()?.lock().ok()?;
        file.seek(SeekFrom::Start(at)).ok()?;
        let mut bytes = vec![0u8; len];
        file.read_exact(&mut bytes).ok()?;
        Some(bytes)
    }

    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// What preview `index` is, without reading it.
    pub fn shape(&self, index: usize) -> Shape {
        match &self.slots[index] {
            Slot::Image { width, height, .. }
            | Slot::Held(Preview::Image { width, height, .. }) => Shape::Image {
                width: *width,
                height: *height,
            },
            Slot::Text { more, .. } | Slot::Held(Preview::Text { more, .. }) => {
                Shape::Text { more: *more }
            }
            Slot::Placeholder(_) | Slot::Held(Preview::Placeholder(_)) => Shape::Placeholder,
        }
    }

    /// Preview `index`, read back. A spill file that can no longer be read gives a
    /// placeholder saying so rather than failing the build.
    pub fn get(&self, index: usize) -> Preview {
        let lost = || Preview::Placeholder("the preview could not be read back".to_owned());
        match &self.slots[index] {
            Slot::Held(preview) => preview.clone(),
            Slot::Placeholder(text) => Preview::Placeholder(text.clone()),
            Slot::Image {
                at,
                len,
                width,
                height,
            } => match self.read(*at, *len) {
                Some(jpeg) => Preview::Image {
                    jpeg,
                    width: *width,
                    height: *height,
                },
                None => lost(),
            },
            Slot::Text { at, len, more } => match self.read(*at, *len) {
                Some(bytes) => Preview::Text {
                    excerpt: String::from_utf8_lossy(&bytes).into_owned(),
                    more: *more,
                },
                None => lost(),
            },
        }
    }
}

impl Default for PreviewStore {
    fn default() -> Self {
        PreviewStore::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn previews_come_back_as_they_went_in_spilled_or_held() {
        let previews = [
            Preview::Image {
                jpeg: vec![0xFF, 0xD8, 1, 2, 3],
                width: 480,
                height: 360,
            },
            Preview::Text {
                excerpt: "hello\n\u{202e}world".to_owned(),
                more: true,
            },
            Preview::Placeholder("a video".to_owned()),
        ];
        let mut spilled = PreviewStore::new();
        let mut held = PreviewStore {
            spill: None,
            end: 0,
            slots: Vec::new(),
        };
        for preview in &previews {
            spilled.push(preview.clone());
            held.push(preview.clone());
        }
        assert!(spilled.spill.is_some());
        for store in [&spilled, &held] {
            for (index, preview) in previews.iter().enumerate() {
                assert_eq!(format!("{:?}", store.get(index)), format!("{preview:?}"));
            }
            assert_eq!(
                store.shape(0),
                Shape::Image {
                    width: 480,
                    height: 360
                }
            );
            assert_eq!(store.shape(1), Shape::Text { more: true });
            assert_eq!(store.shape(2), Shape::Placeholder);
        }
    }
}
