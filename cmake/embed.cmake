# Turns a text file into a C++ source that defines ricochet::reason::pattern_data (a string_view).
file(READ ${IN} content HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${content}")
file(WRITE ${OUT} "// generated from ${IN}\n#include <string_view>\nnamespace ricochet::reason {\nstatic const char data[] = {${bytes} 0};\nextern const std::string_view pattern_data{data, sizeof(data) - 1};\n}\n")
