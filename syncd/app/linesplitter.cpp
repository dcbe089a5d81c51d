// SPDX-License-Identifier: Apache-2.0
#include "app/linesplitter.h"

#include <utility>

namespace herald::syncd {

void LineSplitter::append(QByteArrayView chunk)
{
    while (!chunk.isEmpty()) {
        const qsizetype newline = chunk.indexOf('\n');
        const QByteArrayView piece = newline < 0 ? chunk : chunk.first(newline);
        if (!m_overlong && m_partial.size() + piece.size() > m_maxLineBytes) {
            m_overlong = true;
            m_partial = QByteArray(); // frees it: the line is refused whole
        }
        if (!m_overlong)
            m_partial.append(piece);
        if (newline < 0)
            return;
        endLine();
        chunk = chunk.sliced(newline + 1);
    }
}

void LineSplitter::finish()
{
    if (m_overlong || !m_partial.isEmpty())
        endLine();
}

LineSplitter::Line LineSplitter::takeLine()
{
    Line line = std::move(m_lines.front());
    m_lines.pop_front();
    return line;
}

void LineSplitter::endLine()
{
    m_lines.push_back({++m_lineCount, std::exchange(m_partial, {}), m_overlong});
    m_overlong = false;
}

} // namespace herald::syncd
