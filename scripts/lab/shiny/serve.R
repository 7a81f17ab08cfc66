# Serves app.R the way `shiny::runApp` does for any user, on 127.0.0.1.
#   Rscript serve.R PORT PROCESS_NAME
args <- commandArgs(trailingOnly = TRUE)
port <- suppressWarnings(as.integer(args[1]))
if (length(args) != 2 || is.na(port)) stop("usage: Rscript serve.R PORT PROCESS_NAME")
# Read by app.R; see there why.
Sys.setenv(SHINY_LAB_PROCESS = args[2])
here <- dirname(sub("^--file=", "", grep("^--file=", commandArgs(), value = TRUE)))
shiny::runApp(file.path(here, "app.R"), port = port, host = "127.0.0.1", launch.browser = FALSE)
