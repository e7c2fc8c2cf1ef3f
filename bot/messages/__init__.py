"""What the bot says: message texts, charts and the export format."""
