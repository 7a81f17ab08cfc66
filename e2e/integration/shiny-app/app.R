# A Shiny app with each kind of session route a browser uses: a DT table in server-side mode (DataTables' Ajax POST
# to session/<id>/dataobj/table), a download and a file upload. Replicas do not name themselves, as most apps don't.
library(shiny)
library(DT)

ui <- fluidPage(
  titlePanel("Orders"),
  DTOutput("table"),
  downloadLink("report", "Download the orders"),
  fileInput("upload", "Upload orders")
)

server <- function(input, output, session) {
  output$table <- renderDT(datatable(mtcars), server = TRUE)
  output$report <- downloadHandler(filename = "orders.csv", content = function(file) write.csv(mtcars, file))
}

shinyApp(ui, server)
