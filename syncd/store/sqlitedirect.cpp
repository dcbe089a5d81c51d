// SPDX-License-Identifier: Apache-2.0
#include "store/sqlitedirect.h"

#include "store/sqlitedialect.h"
#include "store/storelog.h"

#include <QSqlDatabase>
#include <QSqlDriver>

#ifdef HERALD_HAVE_SQLITE_DIRECT
#include <dlfcn.h>
#include <sqlite3.h>
#endif

using namespace Qt::StringLiterals;

namespace herald::syncd {

#ifdef HERALD_HAVE_SQLITE_DIRECT

namespace {

constexpr qsizetype MaxStatements = 64;

// Whether the library that holds `db`'s driver resolves SQLite to the same libsqlite3 as this
// process: a handle of one copy of SQLite handed to another would corrupt both.
bool driverSharesOurSqlite(const QSqlDatabase &db)
{
    // The driver's vtable lies in the plugin that implements it.
    Dl_info info{};
    const void *vtable = *reinterpret_cast<void *const *>(db.driver());
    if (dladdr(vtable, &info) == 0 || !info.dli_fname)
        return false;
    void *plugin = dlopen(info.dli_fname, RTLD_LAZY | RTLD_NOLOAD);
    if (!plugin)
        return false;
    // Looked up in the plugin and what it links, in its own order.
    void *theirs = dlsym(plugin, "sqlite3_libversion_number");
    dlclose(plugin);
    return theirs && theirs == reinterpret_cast<void *>(&sqlite3_libversion_number);
}

sqlite3 *handleOf(const QSqlDatabase &db)
{
    const QVariant handle = db.driver() ? db.driver()->handle() : QVariant();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return nullptr;
    return *static_cast<sqlite3 *const *>(handle.constData());
}

// The way QtSql's SQLite driver binds a value, with the store's rule for null texts.
int bind(sqlite3_stmt *statement, int index, const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::UnknownType:
        return sqlite3_bind_null(statement, index);
    case QMetaType::QString: {
        // The text lives in `value` until the statement ran; its length is passed, so it
        // needs no terminating zero (utf16() would copy a raw-data string to add one).
        const auto *text = static_cast<const QString *>(value.constData());
        return sqlite3_bind_text16(statement, index,
                                   text->isNull() ? static_cast<const void *>(u"")
                                                  : static_cast<const void *>(text->constData()),
                                   int(text->size() * sizeof(char16_t)), SQLITE_STATIC);
    }
    case QMetaType::Bool:
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::Long:
    case QMetaType::ULong:
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
        return value.isNull() ? sqlite3_bind_null(statement, index)
                              : sqlite3_bind_int64(statement, index, value.toLongLong());
    case QMetaType::Double:
    case QMetaType::Float:
        return value.isNull() ? sqlite3_bind_null(statement, index)
                              : sqlite3_bind_double(statement, index, value.toDouble());
    case QMetaType::QByteArray: {
        const QByteArray bytes = value.toByteArray();
        return sqlite3_bind_blob(statement, index, bytes.constData(), int(bytes.size()),
                                 SQLITE_TRANSIENT);
    }
    default: {
        if (value.isNull())
            return sqlite3_bind_null(statement, index);
        const QByteArray text = value.toString().toUtf8();
        return sqlite3_bind_text(statement, index, text.constData(), int(text.size()),
                                 SQLITE_TRANSIENT);
    }
    }
}

} // namespace

std::unique_ptr<SqliteDirect> SqliteDirect::attach(const QSqlDatabase &db)
{
    if (qEnvironmentVariable("HERALD_SQLITE_DIRECT") == u"0"_s)
        return nullptr;
    sqlite3 *handle = handleOf(db);
    if (!handle)
        return nullptr;
    if (!driverSharesOurSqlite(db)) {
        qCInfo(lcStore) << "the SQLite driver has its own copy of SQLite: statements go through"
                           " QtSql only";
        return nullptr;
    }
    return std::unique_ptr<SqliteDirect>(new SqliteDirect(handle));
}

SqliteDirect::~SqliteDirect()
{
    for (sqlite3_stmt *statement : std::as_const(m_statements))
        sqlite3_finalize(statement);
}

Result<sqlite3_stmt *> SqliteDirect::prepared(const QString &sql)
{
    if (const auto known = m_statements.constFind(sql); known != m_statements.cend())
        return *known;
    sqlite3_stmt *statement = nullptr;
    const int result = sqlite3_prepare16_v3(m_db, sql.utf16(), int(sql.size() * sizeof(char16_t)),
                                            SQLITE_PREPARE_PERSISTENT, &statement, nullptr);
    if (result != SQLITE_OK) {
        sqlite3_finalize(statement);
        return tl::unexpected(failure(result, sql));
    }
    if (m_statements.size() >= MaxStatements) { // only fixed texts come here; a bound anyway
        for (sqlite3_stmt *kept : std::as_const(m_statements))
            sqlite3_finalize(kept);
        m_statements.clear();
    }
    m_statements.insert(sql, statement);
    return statement;
}

Result<sqlite3_stmt *> SqliteDirect::bound(const QString &sql, const QVariantList &values)
{
    auto statement = prepared(sql);
    if (!statement)
        return statement;
    for (qsizetype i = 0; i < values.size(); ++i) {
        if (const int result = bind(*statement, int(i + 1), values.at(i)); result != SQLITE_OK) {
            sqlite3_clear_bindings(*statement);
            return tl::unexpected(failure(result, sql));
        }
    }
    return statement;
}

Result<int> SqliteDirect::write(const QString &sql, const QVariantList &values)
{
    auto statement = bound(sql, values);
    if (!statement)
        return tl::unexpected(statement.error());
    int result = sqlite3_step(*statement);
    while (result == SQLITE_ROW) // RETURNING or a PRAGMA: read to the end
        result = sqlite3_step(*statement);
    // Read before the reset, which may change both.
    const Result<int> answer = result == SQLITE_DONE ? Result<int>(sqlite3_changes(m_db))
                                                     : tl::unexpected(failure(result, sql));
    sqlite3_reset(*statement);
    sqlite3_clear_bindings(*statement);
    return answer;
}

Result<std::optional<qint64>> SqliteDirect::readInteger(const QString &sql,
                                                        const QVariantList &values)
{
    auto statement = bound(sql, values);
    if (!statement)
        return tl::unexpected(statement.error());
    const int result = sqlite3_step(*statement);
    Result<std::optional<qint64>> answer = std::optional<qint64>();
    if (result == SQLITE_ROW && sqlite3_column_type(*statement, 0) != SQLITE_NULL)
        answer = std::optional<qint64>(sqlite3_column_int64(*statement, 0));
    else if (result != SQLITE_ROW && result != SQLITE_DONE)
        answer = tl::unexpected(failure(result, sql));
    // Reset at once: a statement left on a row would hold a read snapshot.
    sqlite3_reset(*statement);
    sqlite3_clear_bindings(*statement);
    return answer;
}

Error SqliteDirect::failure(int result, const QString &sql) const
{
    const QString message = QString::fromUtf8(sqlite3_errmsg(m_db));
    qCWarning(lcStore) << sql << "failed:" << message;
    const std::optional<ErrorCode> code = SqliteDialect::errorCodeForResult(result & 0xFF);
    return Error{code.value_or(ErrorCode::Internal), u"database: %1"_s.arg(message)};
}

#else // built without libsqlite3: every statement goes through QtSql

std::unique_ptr<SqliteDirect> SqliteDirect::attach(const QSqlDatabase &)
{
    return nullptr;
}

SqliteDirect::~SqliteDirect() = default;

Result<int> SqliteDirect::write(const QString &sql, const QVariantList &)
{
    return fail(ErrorCode::Internal, u"database: %1: no direct SQLite in this build"_s.arg(sql));
}

Result<std::optional<qint64>> SqliteDirect::readInteger(const QString &sql, const QVariantList &)
{
    return fail(ErrorCode::Internal, u"database: %1: no direct SQLite in this build"_s.arg(sql));
}

#endif

} // namespace herald::syncd
