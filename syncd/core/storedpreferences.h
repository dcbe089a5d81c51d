// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/preferences.h"

namespace herald::syncd {

class SqlStore;

// A user's delivery preferences as stored, read on the store thread by whoever applies them:
// the defaults when the user has none, and (with a warning) when the stored ones no longer
// read, changed by hand in the database: the defaults rather than a guess.
Result<Preferences> storedPreferences(SqlStore &store, const QString &user);

} // namespace herald::syncd
