// The baseline for bench_startup: a bare Qt Widgets window, started and shown
// the same way as Candidate Desk, quitting once its first frame is painted.
#include <QApplication>
#include <QLabel>
#include <QMainWindow>
#include <QTimer>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QMainWindow window;
    window.setCentralWidget(new QLabel(QStringLiteral("bare")));
    window.resize(1200, 760);
    window.show();
    QTimer::singleShot(0, &window, [&window] {
        window.repaint();
        QCoreApplication::quit();
    });
    return app.exec();
}
