"""The Textual app. Everything here may import textual; nothing under tui.model or tui.storage may."""
