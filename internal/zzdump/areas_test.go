package dump
import ("testing";"fmt";"os";"strings";"github.com/govlint/govlint/internal/audit")
func TestAreas(t *testing.T){
 s,_,err:=audit.Load(os.Getenv("SNAP")); if err!=nil{t.Fatal(err)}
 for _,p:=range s.Pages{ if strings.Contains(p.Title,os.Getenv("PAT")) || strings.HasSuffix(p.URL, os.Getenv("PAT")) { fmt.Println("==",p.URL,p.Title,p.Breadcrumb); for _,l:=range p.Links{ if l.Area!="nav" && l.Area!="footer" {fmt.Println("  ",l.Area,l.Text,l.URL)} } } }
}
