"""The domain: schema, validation and rules. Plain Python; never imports textual or openpyxl."""
