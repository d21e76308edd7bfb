"""Getting data into the landing zone and reading it back: layout, readers, generator, importers."""
