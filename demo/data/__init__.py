"""The demo's people, programs and stories: plain data, no database access."""
