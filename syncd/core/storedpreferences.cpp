// SPDX-License-Identifier: Apache-2.0
#include "core/storedpreferences.h"

#include "core/corelog.h"
#include "store/sqlstore.h"

#include <QJsonDocument>

namespace herald::syncd {

Result<Preferences> storedPreferences(SqlStore &store, const QString &user)
{
    auto stored = store.accounts([&](AccountQueries &q) { return q.preferences(user); });
    if (!stored)
        return tl::unexpected(stored.error());
    if (!stored->has_value())
        return Preferences();
    auto read = Preferences::fromJson(QJsonDocument::fromJson((*stored)->toUtf8()).object());
    if (!read) {
        qCWarning(lcCore) << "the stored preferences of" << user
                          << "are not valid:" << read.error().message;
        return Preferences();
    }
    return std::move(*read);
}

} // namespace herald::syncd
