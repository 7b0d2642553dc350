// testcontainers' settings for a machine where no registry is reachable: no reaper (Ryuk is an
// image to pull; every cluster removes what it created itself), and the Docker host given
// outright (otherwise it starts an alpine container to find the gateway).
process.env['TESTCONTAINERS_RYUK_DISABLED'] = 'true';
process.env['TESTCONTAINERS_HOST_OVERRIDE'] = 'localhost';
