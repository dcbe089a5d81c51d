#include "syncdmain.h"
namespace herald::syncd { int syncdMain(int, char **) { return 0; } }
