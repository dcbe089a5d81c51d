-- Herald schema version 7 (SQLite): each user's delivery preferences, the JSON object
-- of PUT /api/v1/preferences as the daemon validated it. A user without a row has the
-- defaults (everything at once, to every agent, in UTC).
CREATE TABLE user_preferences (
    user_name TEXT NOT NULL PRIMARY KEY,
    preferences TEXT NOT NULL,
    updated_ms INTEGER NOT NULL
);
