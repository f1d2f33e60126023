// Command ociregistry serves go-containerregistry's registry (pkg/registry) with the OCI 1.1
// referrers API on, on a loopback port: the tests' registry that has the API, beside Debian's
// docker-registry 2.8, which has not. Manifests live in memory, blobs in -dir.
//
// It prints "listening on 127.0.0.1:PORT" once it accepts connections, and an access-log line per
// request in the form docker-registry writes ("METHOD PATH HTTP/1.1" STATUS), which the tests read.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/google/go-containerregistry/pkg/registry"
)

type recorder struct {
	http.ResponseWriter
	status int
}

func (r *recorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "address to listen on")
	dir := flag.String("dir", "", "directory for blobs (in memory when empty)")
	flag.Parse()

	options := []registry.Option{registry.WithReferrersSupport(true), registry.Logger(log.New(os.Stderr, "", log.LstdFlags))}
	if *dir != "" {
		if err := os.MkdirAll(*dir, 0o700); err != nil {
			log.Fatal(err)
		}
		options = append(options, registry.WithBlobHandler(registry.NewDiskBlobHandler(*dir)))
	}
	handler := registry.New(options...)
	listener, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("listening on %s\n", listener.Addr())
	logged := http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r := &recorder{ResponseWriter: w, status: http.StatusOK}
		handler.ServeHTTP(r, req)
		fmt.Printf("127.0.0.1 - - [%s] \"%s %s HTTP/1.1\" %d\n", time.Now().UTC().Format(time.RFC3339), req.Method, req.URL.RequestURI(), r.status)
	})
	server := &http.Server{Handler: logged, ReadHeaderTimeout: 10 * time.Second}
	log.Fatal(server.Serve(listener))
}
