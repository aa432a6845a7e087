//! The OCF container: a zip with `mimetype` first and stored, fixed entry order and times.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// Zips `files` (path, bytes) after `mimetype` and `META-INF/container.xml`, in the order given.
pub fn zip(files: &[(String, Vec<u8>)], modified: DateTime) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let stored = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .last_modified_time(modified)
        .unix_permissions(0o644);
    let deflated = stored.compression_method(CompressionMethod::Deflated);
    let container = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
        <container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n\
        <rootfiles>\n<rootfile full-path=\"EPUB/package.opf\" media-type=\"application/oebps-package+xml\"/>\n\
        </rootfiles>\n</container>\n";
    let entries = [
        ("mimetype", b"application/epub+zip".as_slice(), stored),
        ("META-INF/container.xml", container.as_bytes(), deflated),
    ];
    // Writing into memory cannot fail short of allocation failure.
    for (path, bytes, options) in entries {
        zip.start_file(path, options).expect("in-memory zip");
        zip.write_all(bytes).expect("in-memory zip");
    }
    for (path, bytes) in files {
        zip.start_file(format!("EPUB/{path}"), deflated)
            .expect("in-memory zip");
        zip.write_all(bytes).expect("in-memory zip");
    }
    zip.finish().expect("in-memory zip").into_inner()
}
