// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QtGlobal>

namespace herald {

// PROTOCOL.md's limits; the daemon makes them configurable, the defaults are the contract's.
struct Limits
{
    qint64 maxBodyBytes = 64 * 1024;
    int maxMessageBytes = 4 * 1024; // UTF-8 bytes of `message`
    int maxTitleChars = 256;
    int maxTags = 32;
    int maxTagKeyChars = 64;
    int maxTagValueChars = 256;
    int maxIdsPerAck = 1000;
    int maxBatch = 1000;    // notifications per POST
    int maxFetchLast = 100; // backlog size a register may ask for
    // Backlog of a register that resumes (lastNotificationId): what it missed, up to this many.
    int maxResume = 1000;
    int maxListLimit = 100; // GET /notifications page size
    int maxCodeChars = 128;
    int maxUrlChars = 2048;
    int maxActions = 8;
    int maxRecipients = 1000;
    int maxSubscriptions = 256; // channels in one register
};

} // namespace herald
