// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "ui/notificationcardlayout.h"

#include <QDateTime>
#include <QStyledItemDelegate>

#include <functional>
#include <optional>

namespace herald::client {

// Paints NotificationListModel's rows as cards: avatar (the row's icon, else the
// application's initials on its colour), title (bold while unread), two lines of message,
// "application / channel", a relative time, a bar for high and urgent priority, and the
// buttons of NotificationCardLayout. Buttons are painted, not widgets (a list of thousands
// stays cheap); a click on one is found by hit-testing and reported by buttonClicked. Rows
// hold no timers: the view repaints now and then and the times follow the clock.
class NotificationCardDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using Clock = std::function<QDateTime()>;

    explicit NotificationCardDelegate(QObject *parent = nullptr);

    // What "now" is for relative times (tests set it; default: the system clock).
    void setClock(Clock clock) { m_clock = std::move(clock); }

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    // The button at pos (viewport coordinates) on the row painted in option.rect, if any.
    std::optional<CardButton> buttonAt(const QStyleOptionViewItem &option, const QModelIndex &index,
                                       const QPoint &pos) const;

Q_SIGNALS:
    // A left click released on a button of the row at index.
    void buttonClicked(const QModelIndex &index, const herald::client::CardButton &button);

protected:
    bool editorEvent(QEvent *event, QAbstractItemModel *model, const QStyleOptionViewItem &option,
                     const QModelIndex &index) override;

private:
    NotificationCardLayout layoutFor(const QStyleOptionViewItem &option,
                                     const QModelIndex &index) const;
    void paintHeader(QPainter *painter, const QStyleOptionViewItem &option,
                     const QModelIndex &index, const NotificationCardLayout &layout) const;
    void paintAvatar(QPainter *painter, const QModelIndex &index, const QRect &rect) const;
    void paintButtons(QPainter *painter, const QStyleOptionViewItem &option,
                      const NotificationCardLayout &layout) const;

    Clock m_clock;
};

} // namespace herald::client
