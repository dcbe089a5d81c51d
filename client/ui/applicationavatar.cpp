// SPDX-License-Identifier: Apache-2.0
#include "applicationavatar.h"

#include <QStringList>

#include <array>

namespace herald::client {

QString ApplicationAvatar::initials(const QString &application)
{
    QStringList words;
    QString word;
    for (const QChar c : application) {
        if (c.isLetterOrNumber()) {
            word += c;
        } else if (!word.isEmpty()) {
            words << word;
            word.clear();
        }
    }
    if (!word.isEmpty())
        words << word;
    if (words.isEmpty())
        return QStringLiteral("?");
    if (words.size() == 1)
        return words.first().left(2).toUpper();
    return QString(words.at(0).at(0)).toUpper() + QString(words.at(1).at(0)).toUpper();
}

QColor ApplicationAvatar::color(const QString &application)
{
    // Material-like 700 tones: distinct from each other, white text readable on all.
    static constexpr std::array<QRgb, 10> palette{0xd32f2f, 0xc2185b, 0x7b1fa2, 0x512da8, 0x1976d2,
                                                  0x0097a7, 0x00796b, 0x388e3c, 0xf57c00, 0x5d4037};
    quint32 hash = 2166136261u; // FNV-1a over UTF-16 code units: stable everywhere
    for (const QChar c : application) {
        hash ^= c.unicode();
        hash *= 16777619u;
    }
    return QColor(palette[hash % palette.size()]);
}

} // namespace herald::client
