// SPDX-License-Identifier: Apache-2.0
#include "connectionslots.h"

namespace herald::syncd {

ConnectionSlots::ConnectionSlots(int maxTotal, int maxPerAddress)
    : m_maxTotal(maxTotal), m_maxPerAddress(maxPerAddress)
{
}

ConnectionSlots::Verdict ConnectionSlots::admit(const AddressKey &key, bool perAddressCap)
{
    if (m_maxTotal > 0 && m_open >= m_maxTotal)
        return Verdict::ServerFull;
    int &held = m_perAddress[key];
    if (perAddressCap && m_maxPerAddress > 0 && held >= m_maxPerAddress)
        return Verdict::AddressFull;
    ++held;
    ++m_open;
    return Verdict::Admitted;
}

void ConnectionSlots::release(const AddressKey &key)
{
    auto it = m_perAddress.find(key);
    if (it == m_perAddress.end())
        return;
    --m_open;
    if (--it.value() <= 0)
        m_perAddress.erase(it);
}

} // namespace herald::syncd
