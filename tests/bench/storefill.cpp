// SPDX-License-Identifier: Apache-2.0
// herald-store-fill: fills a stopped herald-syncd's SQLite database directly (S5 needs a
// million stored notifications; publishing them through the API would take longer than the
// measurement), and counts what a database holds (S4 checks every 201 against the rows).
//
//   herald-store-fill fill --database PATH --notifications N --channels C [--app NAME]
//   herald-store-fill count --database PATH
//
// fill expects a database that herald-syncd created (it ran its migrations), so that the
// tables of later schema versions are there too; it adds the application and channels
// c0..c(C-1) when missing and N persistent notifications spread round robin over the
// channels, with ids laid out as PROTOCOL.md says (ms since 2025-01-01 << 12 | node << 6 |
// sequence) and times ending an hour ago. Where the schema has the peer relay's record log
// (relay_log, schema version 2) each notification also gets its record there, as the daemon
// writes it. The database stays in WAL mode, checkpointed.

#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

[[noreturn]] void fatal(sqlite3 *db, const char *what)
{
    std::fprintf(stderr, "herald-store-fill: %s: %s\n", what, db ? sqlite3_errmsg(db) : "");
    std::exit(1);
}

void exec(sqlite3 *db, const std::string &sql)
{
    char *err = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
        std::fprintf(stderr, "herald-store-fill: %s\n  in: %.200s\n", err ? err : "?", sql.c_str());
        std::exit(1);
    }
}

sqlite3_stmt *prepare(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) != SQLITE_OK)
        fatal(db, "prepare");
    return s;
}

int64_t scalar(sqlite3 *db, const char *sql, const std::string &arg = {})
{
    sqlite3_stmt *s = prepare(db, sql);
    if (!arg.empty())
        sqlite3_bind_text(s, 1, arg.data(), int(arg.size()), SQLITE_TRANSIENT);
    if (sqlite3_step(s) != SQLITE_ROW)
        fatal(db, sql);
    const int64_t v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

void usage()
{
    std::fprintf(stderr,
                 "usage: herald-store-fill fill --database PATH --notifications N --channels C "
                 "[--app NAME]\n"
                 "       herald-store-fill count --database PATH\n");
    std::exit(2);
}

void fill(sqlite3 *db, const std::string &app, long notifications, int channels)
{
    // Nobody else has the file open; losing it to a crash only means filling again.
    exec(db, "PRAGMA synchronous = OFF");
    exec(db, "BEGIN");
    {
        sqlite3_stmt *s =
            prepare(db, "INSERT OR IGNORE INTO applications (name, title) VALUES (?, 'Bench')");
        sqlite3_bind_text(s, 1, app.data(), int(app.size()), SQLITE_TRANSIENT);
        if (sqlite3_step(s) != SQLITE_DONE)
            fatal(db, "insert application");
        sqlite3_finalize(s);
    }
    const int64_t appId = scalar(db, "SELECT id FROM applications WHERE name = ?", app);
    std::vector<int64_t> channelIds(static_cast<size_t>(channels));
    {
        sqlite3_stmt *add = prepare(db, "INSERT OR IGNORE INTO channels (application_id, name, "
                                        "title) VALUES (?, ?, ?)");
        sqlite3_stmt *get = prepare(db, "SELECT id FROM channels WHERE application_id = ? AND "
                                        "name = ?");
        for (int c = 0; c < channels; ++c) {
            const std::string name = "c" + std::to_string(c);
            sqlite3_bind_int64(add, 1, appId);
            sqlite3_bind_text(add, 2, name.data(), int(name.size()), SQLITE_TRANSIENT);
            sqlite3_bind_text(add, 3, name.data(), int(name.size()), SQLITE_TRANSIENT);
            if (sqlite3_step(add) != SQLITE_DONE)
                fatal(db, "insert channel");
            sqlite3_reset(add);
            sqlite3_bind_int64(get, 1, appId);
            sqlite3_bind_text(get, 2, name.data(), int(name.size()), SQLITE_TRANSIENT);
            if (sqlite3_step(get) != SQLITE_ROW)
                fatal(db, "select channel");
            channelIds[size_t(c)] = sqlite3_column_int64(get, 0);
            sqlite3_reset(get);
        }
        sqlite3_finalize(add);
        sqlite3_finalize(get);
    }

    using namespace std::chrono;
    constexpr int64_t Epoch2025Ms = 1'735'689'600'000;
    const int64_t nowMs =
        duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
    // 64 ids per millisecond (6 bits of sequence), the last one an hour ago.
    const int64_t firstMs = nowMs - 3'600'000 - notifications / 64 - 1;
    sqlite3_stmt *insert =
        prepare(db, "INSERT INTO notifications (id, channel_id, title, message, time_ms) "
                    "VALUES (?, ?, ?, ?, ?)");
    const std::string padding(40, 'x');
    for (long i = 0; i < notifications; ++i) {
        const int64_t ms = firstMs + i / 64;
        const int64_t id = ((ms - Epoch2025Ms) << 12) | (i % 64);
        const std::string title = "stored " + std::to_string(i);
        const std::string message = "bench stored notification " + std::to_string(i) + padding;
        sqlite3_bind_int64(insert, 1, id);
        sqlite3_bind_int64(insert, 2, channelIds[size_t(i % channels)]);
        sqlite3_bind_text(insert, 3, title.data(), int(title.size()), SQLITE_TRANSIENT);
        sqlite3_bind_text(insert, 4, message.data(), int(message.size()), SQLITE_TRANSIENT);
        sqlite3_bind_int64(insert, 5, ms);
        if (sqlite3_step(insert) != SQLITE_DONE)
            fatal(db, "insert notification");
        sqlite3_reset(insert);
        if (i % 100'000 == 99'999) {
            exec(db, "COMMIT");
            exec(db, "BEGIN");
        }
    }
    sqlite3_finalize(insert);
    if (scalar(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
               "relay_log")) {
        // Numbered after what node 0 already logged, in id order, like migration 0002 does.
        exec(db, "INSERT INTO relay_log (origin, seq, kind, notification_id, time_ms) "
                 "SELECT n.node, (SELECT coalesce(max(seq), 0) FROM relay_log WHERE origin = "
                 "n.node) + ROW_NUMBER() OVER (PARTITION BY n.node ORDER BY n.id), "
                 "'notification', n.id, n.time_ms FROM notifications n WHERE NOT EXISTS "
                 "(SELECT 1 FROM relay_log r WHERE r.notification_id = n.id AND r.kind = "
                 "'notification')");
    }
    exec(db, "COMMIT");
    exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
}

} // namespace

int main(int argc, char **argv)
{
    if (argc < 2)
        usage();
    const std::string command = argv[1];
    std::string database, app = "bench";
    long notifications = 0;
    int channels = 1;
    for (int i = 2; i < argc; ++i) {
        const std::string a = argv[i];
        if (i + 1 >= argc)
            usage();
        if (a == "--database")
            database = argv[++i];
        else if (a == "--notifications")
            notifications = std::atol(argv[++i]);
        else if (a == "--channels")
            channels = std::atoi(argv[++i]);
        else if (a == "--app")
            app = argv[++i];
        else
            usage();
    }
    if (database.empty() || channels < 1 || notifications < 0 ||
        (command != "fill" && command != "count"))
        usage();

    sqlite3 *db = nullptr;
    // Never create: a missing file means the daemon did not make it.
    if (sqlite3_open_v2(database.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
        fatal(db, database.c_str());
    sqlite3_busy_timeout(db, 5000);
    if (command == "count") {
        std::printf("%lld\n",
                    static_cast<long long>(scalar(db, "SELECT count(*) FROM notifications")));
    } else {
        const auto t0 = std::chrono::steady_clock::now();
        fill(db, app, notifications, channels);
        const double s =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        std::fprintf(stderr, "herald-store-fill: %ld notifications over %d channels in %.1f s\n",
                     notifications, channels, s);
    }
    sqlite3_close(db);
    return 0;
}
