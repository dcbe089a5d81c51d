// SPDX-License-Identifier: Apache-2.0
// herald-sqlite-ceiling: what SQLite itself commits per second on this disk, beside S4
// (durable ingest). Plain sqlite3 C API, one thread, the settings herald-syncd uses (WAL,
// foreign keys on) and, with --schema, its real schema, so that the only thing left out is
// the daemon.
//
//   herald-sqlite-ceiling --dir DIR [--schema FILE]... [--seconds S] [--label PREFIX] [--run N]
//
// For synchronous FULL and NORMAL, and for one commit per row and one per 100 rows, it
// inserts notification rows into a fresh database in DIR for S seconds and prints one JSON
// line each: {"label":"PREFIX/full-1/N","synchronous":"FULL","batch":1,"rows":...,
// "rows_per_s":...}.

#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

// Used without --schema: the columns and indexes of herald's notifications table.
constexpr const char *MinimalSchema = R"(
CREATE TABLE applications (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,
                           title TEXT NOT NULL DEFAULT '', event_types TEXT NOT NULL DEFAULT '[]');
CREATE TABLE channels (id INTEGER PRIMARY KEY,
                       application_id INTEGER NOT NULL REFERENCES applications (id),
                       name TEXT NOT NULL, title TEXT NOT NULL DEFAULT '',
                       description TEXT NOT NULL DEFAULT '', UNIQUE (application_id, name));
CREATE TABLE notifications (id INTEGER PRIMARY KEY,
                            channel_id INTEGER NOT NULL REFERENCES channels (id),
                            code TEXT NOT NULL DEFAULT '', title TEXT NOT NULL DEFAULT '',
                            message TEXT NOT NULL DEFAULT '', priority TEXT NOT NULL DEFAULT 'normal',
                            level TEXT NOT NULL DEFAULT '', tags TEXT NOT NULL DEFAULT '{}',
                            url TEXT NOT NULL DEFAULT '', actions TEXT NOT NULL DEFAULT '[]',
                            recipients TEXT NOT NULL DEFAULT '[]',
                            has_recipients INTEGER NOT NULL DEFAULT 0, time_ms INTEGER NOT NULL,
                            expires_at_ms INTEGER, node INTEGER NOT NULL DEFAULT 0);
CREATE INDEX notifications_channel_id ON notifications (channel_id, id);
)";

[[noreturn]] void fatal(sqlite3 *db, const char *what)
{
    std::fprintf(stderr, "herald-sqlite-ceiling: %s: %s\n", what, db ? sqlite3_errmsg(db) : "");
    std::exit(1);
}

void exec(sqlite3 *db, const std::string &sql)
{
    char *err = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
        std::fprintf(stderr, "herald-sqlite-ceiling: %s\n  in: %.200s\n", err ? err : "?",
                     sql.c_str());
        std::exit(1);
    }
}

std::string readFile(const std::string &path)
{
    std::ifstream in(path);
    if (!in) {
        std::fprintf(stderr, "herald-sqlite-ceiling: cannot read %s\n", path.c_str());
        std::exit(2);
    }
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

double seconds()
{
    using namespace std::chrono;
    return duration<double>(steady_clock::now().time_since_epoch()).count();
}

struct Result
{
    long rows = 0;
    double elapsed = 0;
};

Result measure(const std::string &path, const std::vector<std::string> &schema,
               const char *synchronous, int batch, double duration)
{
    for (const char *suffix : {"", "-wal", "-shm"})
        unlink((path + suffix).c_str());
    sqlite3 *db = nullptr;
    if (sqlite3_open(path.c_str(), &db) != SQLITE_OK)
        fatal(db, "open");
    exec(db, "PRAGMA journal_mode = WAL");
    exec(db, std::string("PRAGMA synchronous = ") + synchronous);
    exec(db, "PRAGMA foreign_keys = ON");
    if (schema.empty())
        exec(db, MinimalSchema);
    for (const std::string &s : schema)
        exec(db, s);
    exec(db, "INSERT INTO applications (name, title) VALUES ('bench', 'Bench');"
             "INSERT INTO channels (application_id, name) VALUES (1, 'c0')");

    sqlite3_stmt *insert = nullptr;
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO notifications (id, channel_id, title, message, time_ms) "
                           "VALUES (?, 1, 't', ?, ?)",
                           -1, &insert, nullptr) != SQLITE_OK)
        fatal(db, "prepare");
    // Herald's 64-byte message text and an id laid out like herald's (ms << 12 | sequence).
    const std::string message(64, 'x');
    const int64_t ms0 = 600'000'000'000;
    Result r;
    const double t0 = seconds();
    while (seconds() - t0 < duration) {
        exec(db, "BEGIN");
        for (int i = 0; i < batch; ++i, ++r.rows) {
            sqlite3_bind_int64(insert, 1, ((ms0 + r.rows / 64) << 12) | (r.rows % 64));
            sqlite3_bind_text(insert, 2, message.data(), int(message.size()), SQLITE_STATIC);
            sqlite3_bind_int64(insert, 3, ms0 + r.rows / 64);
            if (sqlite3_step(insert) != SQLITE_DONE)
                fatal(db, "insert");
            sqlite3_reset(insert);
        }
        exec(db, "COMMIT");
    }
    r.elapsed = seconds() - t0;
    sqlite3_finalize(insert);
    sqlite3_close(db);
    for (const char *suffix : {"", "-wal", "-shm"})
        unlink((path + suffix).c_str());
    return r;
}

void usage()
{
    std::fprintf(stderr, "usage: herald-sqlite-ceiling --dir DIR [--schema FILE]... "
                         "[--seconds S] [--label PREFIX] [--run N]\n");
    std::exit(2);
}

} // namespace

int main(int argc, char **argv)
{
    std::string dir, label = "S4sql";
    std::vector<std::string> schema;
    double duration = 3;
    int run = 1;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (i + 1 >= argc)
            usage();
        if (a == "--dir")
            dir = argv[++i];
        else if (a == "--schema")
            schema.push_back(readFile(argv[++i]));
        else if (a == "--seconds")
            duration = std::atof(argv[++i]);
        else if (a == "--label")
            label = argv[++i];
        else if (a == "--run")
            run = std::atoi(argv[++i]);
        else
            usage();
    }
    if (dir.empty() || duration <= 0)
        usage();
    const std::string path = dir + "/sqlite-ceiling.db";
    for (const char *synchronous : {"FULL", "NORMAL"}) {
        for (int batch : {1, 100}) {
            const Result r = measure(path, schema, synchronous, batch, duration);
            const std::string level = synchronous[0] == 'F' ? "full" : "normal";
            std::printf("{\"label\":\"%s/%s-%d/%d\",\"mode\":\"sqlite-ceiling\",\"synchronous\":"
                        "\"%s\",\"batch\":%d,\"rows\":%ld,\"seconds\":%.3f,\"rows_per_s\":%.0f,"
                        "\"sqlite_version\":\"%s\"}\n",
                        label.c_str(), level.c_str(), batch, run, synchronous, batch, r.rows,
                        r.elapsed, r.rows / r.elapsed, sqlite3_libversion());
            std::fflush(stdout);
            std::fprintf(stderr, "%s sqlite %s, %d row(s) per commit: %.0f rows/s\n", label.c_str(),
                         synchronous, batch, r.rows / r.elapsed);
        }
    }
    return 0;
}
