// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "store/dialect.h"

#include <optional>

namespace herald::syncd {

// SQLite: one file, WAL journal (readers do not block the writer), foreign keys enforced,
// writers wait up to 5 s for the lock instead of failing at once.
class SqliteDialect : public Dialect
{
public:
    explicit SqliteDialect(QString path) : m_path(std::move(path)) {}

    QString name() const override { return QStringLiteral("sqlite"); }
    QString driverName() const override { return QStringLiteral("QSQLITE"); }
    void setConnectionParameters(QSqlDatabase &db) const override;
    QString displayName() const override { return m_path; }
    // `synchronous`: FULL, NORMAL, OFF or EXTRA (case-insensitive); BadRequest otherwise.
    Result<void> configure(QSqlDatabase &db, const QString &synchronous) const override;
    ErrorCode errorCodeFor(const QSqlError &error) const override;
    // The code for SQLite's primary result code, when it says more than Dialect's default.
    static std::optional<ErrorCode> errorCodeForResult(int primaryResult);
    QString beginTransactionStatement() const override { return QStringLiteral("BEGIN IMMEDIATE"); }
    bool preparesTransactionControl() const override { return true; }
    // Only for a file in WAL mode at synchronous=FULL, on Linux.
    Result<std::unique_ptr<WalSync>> deferFullSync(QSqlDatabase &db) const override;

    static constexpr int BusyTimeoutMs = 5000;

private:
    QString m_path;
};

} // namespace herald::syncd
