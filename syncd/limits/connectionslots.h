// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "limits/addresskey.h"

#include <QHash>

namespace herald::syncd {

// Counts the HTTP connections held, in all and per address, against their caps (0: no cap).
// One thread (the front); a connection admitted must be released exactly once.
class ConnectionSlots
{
public:
    enum class Verdict
    {
        Admitted,
        ServerFull,  // every slot is taken
        AddressFull, // this address holds its share
    };

    ConnectionSlots(int maxTotal, int maxPerAddress);

    // `perAddressCap` false: the peer is a trusted proxy, which speaks for many clients; it
    // counts against the total only.
    Verdict admit(const AddressKey &key, bool perAddressCap = true);
    void release(const AddressKey &key);

    int open() const { return m_open; }
    int openFrom(const AddressKey &key) const { return m_perAddress.value(key); }
    int maxTotal() const { return m_maxTotal; }
    int maxPerAddress() const { return m_maxPerAddress; }

private:
    const int m_maxTotal;
    const int m_maxPerAddress;
    int m_open = 0;
    QHash<AddressKey, int> m_perAddress; // only addresses holding connections
};

} // namespace herald::syncd
