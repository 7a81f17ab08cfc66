# The Shiny app of the lab: the three things that break first when a balancer moves a user between R processes.
#   - a DT table in server-side mode: every page (and sort, search) is an Ajax POST to session/<id>/dataobj/table
#   - a download link: a GET of session/<id>/download/report
#   - a file upload: uploadInit over the WebSocket, then a POST to session/<id>/upload/<job>
# Each of those routes exists only in the R process that holds the session; any other process answers 404.
library(shiny)
library(DT)

# Which process this is (serve.R passes it on), for the lab's own tests only: the page's meta tag names the process
# that rendered it, the table's `process` column and the download's last line the one holding the session. Real
# apps say nothing of the kind, so stickyscope must reach its verdict without it; the names are none its automatic
# replica detection reads (the headers x-replica, x-served-by, x-backend-server, the JSON fields hostname, replica,
# instance, a `Hostname:` line). Shiny 1.7 offers no way to add a response header (the headers a
# shiny.http.response.filter sets are dropped), so the marks live in the content.
process_name <- Sys.getenv("SHINY_LAB_PROCESS", "shiny")

# Enough rows for many pages of ten: page 2 is a second dataobj request.
cities <- c("Amsterdam", "Berlin", "Cairo", "Delhi", "Lima", "Oslo", "Quito", "Seoul", "Tunis", "Zagreb")
rows <- data.frame(
  row = 1:500,
  city = rep(cities, length.out = 500),
  reading = round(seq(0.5, 250, by = 0.5) * 1.7, 1),
  stringsAsFactors = FALSE
)

ui <- fluidPage(
  tags$head(tags$meta(name = "shiny-lab-process", content = process_name)),
  titlePanel("Shiny lab"),
  DTOutput("table"),
  tags$p(downloadLink("report", "Download the report")),
  fileInput("upload", "Upload a file"),
  verbatimTextOutput("received")
)

server <- function(input, output, session) {
  output$table <- renderDT(
    datatable(cbind(rows, process = process_name), rownames = FALSE, options = list(pageLength = 10)),
    server = TRUE
  )
  output$report <- downloadHandler(
    filename = function() "report.csv",
    content = function(file) {
      write.csv(rows[1:20, ], file, row.names = FALSE)
      cat(sprintf("# written by %s\n", process_name), file = file, append = TRUE)
    },
    contentType = "text/csv"
  )
  output$received <- renderText({
    req(input$upload)
    sprintf("received %s: %d bytes in %s", input$upload$name, file.size(input$upload$datapath), process_name)
  })
}

shinyApp(ui, server)
